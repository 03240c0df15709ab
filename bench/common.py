"""Shared pieces: realistic data at scale, percentiles, the results file."""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
CATALOG_SIZE = int(os.environ.get("BENCH_CATALOG", "200000"))

ORIGINS = ("茂县", "松阳", "青田", "九寨沟", "平湖", "理县", "汶川", "丽水")
CATEGORIES = ("水果", "肉禽蛋", "粮油", "调味品", "干货", "服装", "箱包", "日用百货", "礼盒", "饮料", "蜂蜜", "茶叶")
ADJECTIVES = ("特级", "精选", "有机", "高山", "野生", "古法", "土", "冷鲜", "原生态", "手工", "农家", "优质")
NOUNS = ("冰糖心苹果", "红富士", "枇杷", "脆红李", "黄牛肉", "土猪肉", "山茶油", "土蜂蜜", "红糖", "稻鱼米", "花椒",
         "核桃", "木耳", "香菇", "笋干", "豆腐干", "黄米粿", "糟蛋", "羽绒服", "保温杯", "双肩包", "毛巾", "茶叶",
         "腊肉", "土鸡蛋", "鸭蛋", "红薯粉", "玉米", "土豆", "猕猴桃", "樱桃", "杨梅", "板栗", "绿茶", "白茶")
SPECS = ("100g", "250g", "500g", "1kg", "2.5kg", "5kg", "礼盒装", "袋装", "瓶装", "散装", "M", "L", "XL")


def ean13(n: int) -> str:
    from pos.domain.barcodes import with_check_digit

    return with_check_digit(f"69{n:010d}")


def generate_products(count: int, seed: int = 7):
    """``count`` products of the kind the counters sell: names, pinyin-able Chinese, valid EAN-13s."""
    from pos.domain.catalog import Product, SoldBy

    rnd = random.Random(seed)
    for i in range(count):
        weighed = rnd.random() < 0.08
        name = f"{rnd.choice(ORIGINS)}{rnd.choice(ADJECTIVES)}{rnd.choice(NOUNS)} {rnd.choice(SPECS)}#{i}"
        yield Product(
            sku=f"B{i:07d}", name=name, price_fen=rnd.randint(100, 99_900),
            sold_by=SoldBy.WEIGHT if weighed else SoldBy.UNIT, barcode=None if weighed else ean13(i),
            category=rnd.choice(CATEGORIES), origin=rnd.choice(ORIGINS), unit="kg" if weighed else "件",
            plu=str(10000 + i % 89999) if weighed and i < 89999 else None, tax_rate_bp=rnd.choice((900, 1300)),
        )


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary_ms(samples_s: list[float]) -> dict[str, float]:
    ms = [x * 1000 for x in samples_s]
    return {"p50_ms": round(percentile(ms, 50), 3), "p99_ms": round(percentile(ms, 99), 3),
            "mean_ms": round(statistics.fmean(ms), 3), "n": len(ms)}


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


@contextmanager
def bench_home(name: str) -> Iterator[Path]:
    """A LIANXIN_HOME of the benchmark's own: never the user's real till."""
    home = DATA / "home" / name
    home.mkdir(parents=True, exist_ok=True)
    old = os.environ.get("LIANXIN_HOME")
    os.environ["LIANXIN_HOME"] = str(home)
    try:
        yield home
    finally:
        if old is None:
            os.environ.pop("LIANXIN_HOME", None)
        else:
            os.environ["LIANXIN_HOME"] = old
        # the tills a benchmark opens take daily and before-upgrade backups of multi-GB databases on every
        # run; they are of no use to the next run and once filled the disk
        shutil.rmtree(home / "data" / "backups", ignore_errors=True)


def _cpu_loop_ms() -> float:
    """The best of five runs of a fixed pure-Python loop: how fast this host runs the interpreter
    (the till's hot paths are mostly Python), to compare figures taken on different hosts."""
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        acc = 0
        for i in range(1_000_000):
            acc += i * i % 7
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 2)


def _fsync_ms() -> float:
    """The median time of writing 4 KiB and fsyncing it, 40 times, on the disk bench/.data is on:
    the floor under every durable commit."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "fsync-probe.bin"
    samples = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        block = b"\0" * 4096
        for i in range(40):
            t = time.perf_counter()
            os.pwrite(fd, block, (i % 8) * 4096)
            os.fsync(fd)
            samples.append(time.perf_counter() - t)
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return round(statistics.median(samples) * 1000, 3)


_HOST: dict[str, object] = {}


def machine() -> dict[str, object]:
    """The host a figure was taken on: CPU, cores, memory, OS, Python, the load when measured, and
    two probes taken once per process — a fixed CPU loop's time and one fsync's time."""
    if not _HOST:
        cpu = "?"
        try:
            for row in Path("/proc/cpuinfo").read_text().splitlines():
                if row.startswith("model name"):
                    cpu = row.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        mem = "?"
        try:
            kb = int(Path("/proc/meminfo").read_text().split()[1])
            mem = f"{kb / 1024 / 1024:.0f} GiB"
        except (OSError, ValueError, IndexError):
            pass
        _HOST.update({"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
                      "python": platform.python_version(), "cpu_loop_ms": _cpu_loop_ms(), "fsync_ms": _fsync_ms()})
    try:
        load = round(os.getloadavg()[0], 2)
    except OSError:
        load = None
    return {**_HOST, "load_1min": load}


HISTORY = RESULTS / "history.jsonl"


def record(results: dict[str, dict]) -> Path:
    """Merge ``results`` into bench/results/latest.json, each figure with the host it was taken on,
    and append them to bench/results/history.jsonl, which keeps every earlier run so a regression
    shows (``python -m bench.report --history`` lists a figure's past values)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "latest.json"
    host = machine()
    taken = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamped = {name: {**figure, "host": host, "taken_at": taken} for name, figure in results.items()}
    data = json.loads(path.read_text()) if path.exists() else {}
    data.setdefault("figures", {}).update(stamped)
    data["machine"] = host
    data["taken_at"] = taken
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)
    with HISTORY.open("a", encoding="utf-8") as f:
        for name, figure in stamped.items():
            f.write(json.dumps({"figure": name, **figure}, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def line(name: str, value: str, target: str, baseline: str, ok: bool | None) -> str:
    mark = {True: "met", False: "MISSED", None: "—"}[ok]
    return f"{name:<44} {value:>16}   target {target:<12} baseline {baseline:<22} {mark}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args: list[str], port: int, timeout_s: float = 60):  # noqa: ANN201 - a subprocess.Popen
    """``python ARGS`` from the repository root, once it accepts connections on 127.0.0.1:``port``."""
    import socket
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")


def serve_headoffice(db_url: str, port: int, *extra: str):  # noqa: ANN201
    return serve(["main.py", "headoffice", "serve", "--db", db_url, "--port", str(port), *extra], port)


def postgres_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them off PATH), or None."""
    import glob
    import shutil

    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(cand, "initdb").exists() and Path(cand, "pg_ctl").exists():
            return Path(cand)
    return None


@contextmanager
def postgres_cluster(*, durable: bool, options: str = "") -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port (initdb + pg_ctl, as the postgres user when
    run as root); yields its URL. ``durable=False`` turns fsync off (tests), benchmarks keep it on."""
    import shutil
    import subprocess
    import tempfile

    bindir = postgres_binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses to run as root
    base = Path(tempfile.mkdtemp(prefix="lianxin-pg-", dir="/tmp"))
    if prefix:
        shutil.chown(base, "postgres")
    data, port = base / "data", free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                        "--no-sync"], check=True, capture_output=True, timeout=120)
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 {'' if durable else '-c fsync=off'} {options}"
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts.strip(), "-l", str(base / "log"),
                        "-w", "-t", "60", "start"], check=True, capture_output=True, timeout=90)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast" if durable else "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)
    finally:
        shutil.rmtree(base, ignore_errors=True)
