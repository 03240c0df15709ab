"""Reports: report documents built from service results, and their exporters (PDF, XLSX, CSV)."""
