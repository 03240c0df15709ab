"""The first run's plan, without Qt: what each wizard page accepts, refuses in words, and what 完成 makes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pos.config import ConfigError, load_config, save_settings
from pos.domain.errors import PosError
from pos.services import first_run as fr
from pos.services.ports import FixedClock
from tests.conftest import T0


def problems(checked: fr.Checked) -> dict[str, str]:  # type: ignore[type-arg]
    return {p.field: p.message_zh for p in checked.problems}


def test_a_store_code_typed_in_small_letters_becomes_mx_and_its_first_terminal_mx01() -> None:
    checked = fr.read_store(" mx ", "金平湖鲜到家", "", "", "")
    assert checked.ok
    assert checked.plan == fr.StorePlan("MX", "金平湖鲜到家", "金平湖鲜到家", "", "MX01")


def test_an_empty_store_page_names_every_missing_field_in_plain_words() -> None:
    checked = fr.read_store("", "  ", "", "", "")
    assert not checked.ok and checked.plan is None
    assert problems(checked) == {"code": "请填写门店代码，例如 MX", "name": "请填写门店名称"}
    assert checked.problems[0].text(chinese=False) == "Type the store code, e.g. MX"


def test_codes_with_signs_or_too_long_are_refused() -> None:
    assert "code" in problems(fr.read_store("M-X", "店", "", "", ""))
    assert "terminal" in problems(fr.read_store("MX", "店", "", "", "MX 01"))
    assert "terminal" in problems(fr.read_store("MX", "店", "", "", "X" * 13))


def test_a_network_printer_is_typed_as_host_or_host_and_port() -> None:
    assert fr.network_printer_url("192.168.1.50").plan == "tcp://192.168.1.50:9100"
    assert fr.network_printer_url(" 192.168.1.50:9101 ").plan == "tcp://192.168.1.50:9101"
    assert fr.network_printer_url("tcp://printer.local:9100").plan == "tcp://printer.local:9100"
    assert "1–65535" in problems(fr.network_printer_url("192.168.1.50:99999"))["network"]
    assert "network" in problems(fr.network_printer_url(""))
    assert "network" in problems(fr.network_printer_url("http://x/ y"))


def test_printer_and_paper_are_checked_as_the_till_will_use_them() -> None:
    assert fr.read_printer(None, 58).plan == fr.PrinterPlan(None, 58)
    assert "paper" in problems(fr.read_printer(None, 76))
    assert "printer" in problems(fr.read_printer("lpt:1", 80))


def test_a_test_page_goes_to_the_chosen_printer_and_no_printer_says_so(tmp_path: Path) -> None:
    done = fr.print_test_page(fr.PrinterPlan(f"file:{tmp_path}", 58))
    assert done.ok and done.message_zh.startswith("测试页已打印")
    assert "中文" in (tmp_path / "test-page.txt").read_text(encoding="utf-8")
    nothing = fr.print_test_page(fr.PrinterPlan(None))
    assert not nothing.ok and nothing.message_zh == "未选打印机：小票保存为文件"


def test_an_unplugged_network_printer_is_a_message_not_a_traceback() -> None:
    result = fr.print_test_page(fr.PrinterPlan("tcp://127.0.0.1:9?timeout=0.5", 80))
    assert not result.ok
    assert result.message_zh.startswith("测试页未打印") and "Traceback" not in result.message_zh


def test_usb_printers_are_found_under_dev_usb_with_their_ids_from_sysfs(tmp_path: Path) -> None:
    (tmp_path / "dev" / "usb").mkdir(parents=True)
    (tmp_path / "dev" / "usb" / "lp0").write_text("")
    usb = tmp_path / "sys" / "devices" / "usb1" / "1-1"
    (usb / "1-1:1.0").mkdir(parents=True)
    (usb / "idVendor").write_text("0416\n")
    (usb / "idProduct").write_text("5011\n")
    (usb / "product").write_text("POS58 Printer\n")
    (tmp_path / "sys" / "class" / "usbmisc" / "lp0").mkdir(parents=True)
    (tmp_path / "sys" / "class" / "usbmisc" / "lp0" / "device").symlink_to(usb / "1-1:1.0")
    [found] = fr.usb_printers(tmp_path)
    assert found.url == "usb://0416:5011"
    assert found.label_zh == f"USB 打印机 POS58 Printer（{tmp_path / 'dev' / 'usb' / 'lp0'}）"


def test_serial_ports_are_offered_as_printers_after_the_usb_ones() -> None:
    hw = fr.Hardware(serial_ports=lambda: [fr.SerialPort("/dev/ttyUSB0", "CH340")],
                     usb_printers=lambda: [fr.PrinterChoice("usb://0416:5011", "USB", "USB")])
    assert [c.url for c in fr.printer_choices(hw)] == ["usb://0416:5011", "serial:///dev/ttyUSB0?baudrate=9600"]


def test_scale_and_display_on_one_port_are_refused() -> None:
    ok = fr.read_devices(fr.scale_url("serial:///dev/ttyUSB0", "8217"), fr.display_url("serial:///dev/ttyUSB1", "vfd"))
    assert ok.plan == fr.DevicePlan("serial:///dev/ttyUSB0?protocol=8217", "serial:///dev/ttyUSB1?type=vfd")
    same = fr.read_devices("serial:///dev/ttyUSB0?protocol=8217", "serial:///dev/ttyUSB0?type=led8")
    assert problems(same) == {"display": "电子秤和客显不能用同一个串口"}
    assert "scale" in problems(fr.read_devices("serial:///dev/ttyUSB0?protocol=abc", None))
    assert fr.read_devices(None, None).plan == fr.DevicePlan()


def test_a_scale_with_nothing_behind_its_port_is_reported_in_words(tmp_path: Path) -> None:
    [scale, display] = fr.try_devices(fr.DevicePlan(f"serial://{tmp_path / 'ttyNONE'}?protocol=8217", None))
    assert not scale.ok and "电子秤" in scale.message_zh
    assert display.detail.get("reason") == "not_configured"


STORE = fr.StorePlan("AB", "平湖新店", "一号专柜", "", "AB01")


def test_head_office_takes_address_and_code_or_the_enrolment_qr_in_either_field() -> None:
    typed = fr.read_head_office(" http://192.168.1.10:8080/ ", "ABCD-EFGH", STORE)
    assert typed.plan == fr.HeadOfficePlan("http://192.168.1.10:8080", "ABCD-EFGH")
    qr = "lianxin-enroll:1?url=http%3A%2F%2F10.0.0.5%3A8080&store=AB&terminal=AB01&code=WXYZ"
    assert fr.read_head_office("", qr, STORE).plan == fr.HeadOfficePlan("http://10.0.0.5:8080", "WXYZ")
    other = qr.replace("AB01", "AB02")
    assert "AB02" in problems(fr.read_head_office(other, "", STORE))["url"]
    assert set(problems(fr.read_head_office("192.168.1.10", "", STORE))) == {"url", "code"}
    assert problems(fr.read_head_office(" ", "", STORE)) == {"url": "请填写总部地址和登记码，或选“以后再说”"}


def test_the_administrator_follows_the_user_services_rules() -> None:
    assert fr.read_admin("李建国", "admin", "2468", "2468").plan == fr.AdminPlan("李建国", "admin", "2468")
    assert problems(fr.read_admin("李建国", "admin", "2468", "2469")) == {"pin_again": "两次输入的密码不一致，请重新输入"}
    assert problems(fr.read_admin("", "李", "12", "12")) == {
        "name": "请填写管理员姓名", "login": "登录名只能包含字母、数字和下划线（最多 32 个）", "pin": "密码应为 4 到 8 位数字"}
    assert "2468" not in repr(fr.AdminPlan("x", "y", "2468"))  # a PIN never shows in a log line


def test_the_first_cashier_is_optional_and_needs_a_login_of_their_own() -> None:
    assert fr.read_cashier("", "cashier1", "").plan is None and fr.read_cashier("", "cashier1", "").ok
    assert fr.read_cashier("张小芳", "cashier1", "1357", admin_login="admin").plan == fr.CashierPlan(
        "张小芳", "cashier1", "1357")
    assert problems(fr.read_cashier("张小芳", "admin", "12", admin_login="admin")) == {
        "cashier_login": "收银员的登录名不能与管理员相同", "cashier_pin": "密码应为 4 到 8 位数字"}
    assert problems(fr.read_cashier("", "cashier1", "1357")) == {"cashier_name": "请填写收银员姓名，或姓名和密码都不填"}


def test_save_settings_keeps_the_other_keys_and_refuses_a_bad_value_without_touching_the_file(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text('backup_keep = 30\nscale = "serial:///dev/ttyS0"\n', encoding="utf-8")
    cfg = save_settings(file, {"store": "AB", "terminal": "AB01", "scale": None, "printer": 'file:C:\\r "x"'})
    assert (cfg.store, cfg.terminal_id, cfg.backup_keep, cfg.scale) == ("AB", "AB01", 30, None)
    assert cfg.printer == 'file:C:\\r "x"'
    assert tomllib.loads(file.read_text(encoding="utf-8"))["backup_keep"] == 30
    before = file.read_bytes()
    with pytest.raises(ConfigError) as bad:
        save_settings(file, {"display": "serial:///dev/ttyS1?type=neon"})
    assert "客显类型" in bad.value.message_zh
    assert file.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def plan(**kw: object) -> fr.FirstRunPlan:
    values: dict[str, object] = {"store": STORE, "admin": fr.AdminPlan("李建国", "boss", "2468"),
                                 "printer": fr.PrinterPlan(None, 58)}
    values.update(kw)
    return fr.FirstRunPlan(**values)  # type: ignore[arg-type]


def test_finishing_makes_the_database_the_store_the_administrator_and_the_settings(
        tmp_path: Path, pos_home: Path) -> None:
    cfg = load_config(db=tmp_path / "till.db")
    till = fr.apply_plan(plan(language="en"), cfg, clock=FixedClock(T0))
    try:
        assert (till.identity.store_code, till.identity.terminal_id, till.identity.store_name) == ("AB", "AB01", "平湖新店")
        assert till.auth.login("boss", "2468").display_name == "李建国"
        assert [u.login for u in till.auth.users()] == ["boss"]  # no demo people on a real store
        with till.uow() as uow:
            assert uow.products.count("AB") == 0
    finally:
        till.close()
    again = load_config(db=tmp_path / "till.db")
    assert (again.store, again.terminal_id, again.paper_width, again.language) == ("AB", "AB01", 58, "en")
    with pytest.raises(fr.SetupFailed):  # a till that exists is never set up over
        fr.apply_plan(plan(), again)


def test_a_failure_half_way_leaves_no_database_and_the_settings_file_as_it_was(
        tmp_path: Path, pos_home: Path) -> None:
    file = pos_home / "config" / "config.toml"
    file.parent.mkdir(parents=True)
    file.write_text("backup_keep = 30\n", encoding="utf-8")
    cfg = load_config(db=tmp_path / "till.db")
    with pytest.raises(PosError) as refused:  # the PIN rule is the user service's: refused after the database exists
        fr.apply_plan(plan(admin=fr.AdminPlan("李建国", "boss", "12")), cfg)
    assert refused.value.message_zh == "密码应为 4 到 8 位数字"
    assert file.read_text(encoding="utf-8") == "backup_keep = 30\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    assert not (pos_home / "config" / "device.key").exists()


def test_enrolment_against_a_closed_port_is_a_clear_message(tmp_path: Path, pos_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setenv("LIANXIN_SYNC_SECRETS", "file")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    till = fr.apply_plan(plan(), load_config(db=tmp_path / "till.db"))
    try:
        with pytest.raises(PosError) as refused:
            fr.enrol(till, fr.HeadOfficePlan(f"http://127.0.0.1:{port}", "ABCD"))
        assert "无法连接总部" in refused.value.message_zh
        assert not till.sync.status().enrolled
    finally:
        till.close()


def test_the_demo_counters_open_as_gui_and_gui_store_pm_do(pos_home: Path, tmp_path: Path) -> None:
    cfg = load_config()
    assert fr.demo_config(cfg, "MX") == cfg
    pm = fr.demo_config(cfg, "pm")
    assert (pm.store, pm.terminal_id, Path(pm.db).name) == ("PM", "PM01", "lianxin-PM.db")
    named = load_config(db=tmp_path / "mine.db")
    assert fr.demo_config(named, "PM").db == tmp_path / "mine.db"  # a database named on the command line is kept
    with pytest.raises(fr.SetupFailed):
        fr.demo_config(cfg, "XX")


def test_setup_on_the_command_line_makes_the_same_till_as_the_wizard(
        tmp_path: Path, pos_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pos.cli import main

    db = str(tmp_path / "till.db")
    assert main(["--db", db, "setup", "--store", "ab", "--name", "平湖新店", "--admin-pin", "12"]) == 2
    assert "密码应为 4 到 8 位数字" in capsys.readouterr().err and not Path(db).exists()
    assert main(["--db", db, "setup", "--store", "ab", "--name", "平湖新店", "--counter", "一号专柜",
                 "--admin-login", "boss", "--admin-pin", "2468", "--paper-width", "58",
                 "--cashier-name", "张小芳", "--cashier-pin", "1357"]) == 0
    assert "set up store AB (平湖新店 · 一号专柜), terminal AB01" in capsys.readouterr().out
    assert main(["--db", db, "user", "list"]) == 0
    listed = capsys.readouterr().out
    assert "boss" in listed and "cashier1" in listed
    assert main(["--db", db, "setup", "--store", "ab", "--name", "x", "--admin-pin", "2468"]) == 2
    assert "只能为新收银机做首次设置" in capsys.readouterr().err


def test_a_till_set_up_with_head_offices_qr_text_enrols_with_a_real_head_office(
        tmp_path: Path, pos_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from headoffice import service
    from pos.sync.enrolment import enrolment_text
    from tests.headoffice.ho_support import running_server

    monkeypatch.setenv("LIANXIN_SYNC_SECRETS", "file")
    with running_server(f"sqlite:///{tmp_path / 'ho.db'}") as srv:
        qr = enrolment_text(srv.url, "MX", "MX07", service.add_terminal(srv.engine, "MX", "MX07").code)
        store = fr.read_store("MX", "金平湖鲜到家", "二号收银台", "", "MX07").plan
        assert store is not None
        head_office = fr.read_head_office(qr, "", store).plan  # scanned into the address field
        assert head_office is not None and head_office.url == srv.url
        till = fr.apply_plan(plan(store=store, head_office=head_office), load_config(db=tmp_path / "till.db"))
        try:
            report = fr.enrol(till, head_office)
            assert (report.terminal_id, report.store_code) == ("MX07", "MX")
            assert till.sync.status().enrolled
        finally:
            till.close()


def test_config_set_changes_one_setting_and_refuses_a_bad_one_naming_the_file(
        pos_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pos.cli import main

    file = pos_home / "config" / "config.toml"
    assert main(["config", "set", "printer=tcp://192.168.1.50:9100", "paper_width=58", "cash_drawer=no"]) == 0
    assert main(["config", "set", "paper_width=57"]) == 2
    err = capsys.readouterr().err
    assert f"config file {file}: paper_width 只能是 58 或 80" in err and ".new" not in err
    assert main(["config", "set", "printer="]) == 0  # empty: back to the default (receipts as files)
    assert tomllib.loads(file.read_text(encoding="utf-8")) == {"paper_width": 58, "cash_drawer": False}
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "paper_width = 58" in out and "cash_drawer = false" in out
