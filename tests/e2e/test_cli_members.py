"""Issue 17 from the command line: a cashier registers and finds a member; only a manager exports them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.e2e.test_cli import run


def test_a_counter_registers_finds_and_exports_members_from_the_command_line(tmp_path: Path, pos_home: Path) -> None:
    db = tmp_path / "till.db"
    base = ["--db", str(db), "--printer", "dummy:"]
    cashier = ["--by", "cashier1", "--pin", "1111"]

    def cli(*args: str, check: int = 0):
        return run(pos_home, *base, *args, check=check)

    cli("init", "--demo")
    added = json.loads(cli("member", "add", "+86 138-0013-8000", "--name", "王小红", "--birthday", "05-17", *cashier,
                           "--json").stdout)
    assert added == {"member_id": "MX01000001", "phone": "138****8000", "name": "王小红", "tier": "普通",
                     "birthday": "05-17", "points": 0, "code": added["code"]}
    assert "MX01000002  李大山  159****8000  金卡" in cli("member", "add", "15912348000", "--name", "李大山", "--tier", "金卡",
                                                      *cashier).stdout
    picks = cli("member", "find", "8000", *cashier).stdout.splitlines()
    assert [line.split()[:3] for line in picks] == [["MX01000001", "王小红", "138****8000"],
                                                    ["MX01000002", "李大山", "159****8000"]]
    assert "13800138000" not in " ".join(picks)
    assert json.loads(cli("member", "find", added["code"], *cashier, "--json").stdout)[0]["name"] == "王小红"
    assert "没有找到会员" in cli("member", "find", "13700000000", *cashier).stdout
    changed = json.loads(cli("member", "change", "MX01000001", "--tier", "银卡", "--birthday", "none", *cashier,
                             "--json").stdout)
    assert (changed["tier"], changed["birthday"]) == ("银卡", None)

    bad = cli("member", "add", "1380013800", "--name", "王二", *cashier, check=2)
    assert "不是有效的手机号" in bad.stderr and "Traceback" not in bad.stderr
    twice = cli("member", "add", "13800138000", "--name", "王二", *cashier, check=2)
    assert "已是会员" in twice.stderr
    mistyped = cli("member", "find", added["code"][:-1] + ("0" if added["code"][-1] != "0" else "1"), *cashier, check=2)
    assert "会员码" in mistyped.stderr

    shown = json.loads(cli("member", "settings", "--json").stdout)
    assert shown == {"tiers": ["普通", "银卡", "金卡"], "fen_per_point": 100, "excluded_categories": [],
                     "redeem_fen_per_point": 1, "max_redeem_pct": 50}
    cli("member", "settings", "--exclude", "烟酒", *cashier, check=2)
    set_ = cli("member", "settings", "--tiers", "普通,银卡,金卡,钻石", "--yuan-per-point", "2", "--exclude", "烟酒，礼券",
               "--max-redeem-pct", "30", "--by", "manager1", "--pin", "2222").stdout
    assert "普通、银卡、金卡、钻石" in set_ and "每 ¥2.00 积 1 分" in set_ and "烟酒、礼券" in set_ and "30%" in set_
    assert "整除 100" in cli("member", "settings", "--points-per-yuan", "3", "--by", "manager1", "--pin", "2222",
                            check=2).stderr
    out = tmp_path / "members.csv"
    refused = cli("member", "export", "--out", str(out), *cashier, check=2)
    assert "无权" in refused.stderr and not out.exists()
    done = json.loads(cli("member", "export", "--out", str(out), "--by", "manager1", "--pin", "2222", "--json").stdout)
    assert done == {"file": str(out), "members": 2}
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[:3] for r in rows[1:]] == [["MX01000001", "13800138000", "王小红"], ["MX01000002", "15912348000", "李大山"]]
    cli("ledger", "verify")  # exit 0: the chain and every read model, members included, rebuild from the journal
