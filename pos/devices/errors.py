"""Device errors in plain words (English + Chinese), and how a serial failure is explained."""

from __future__ import annotations

import errno as _errno

from pos.domain.errors import PosError

KIND_ZH = {"scanner": "扫码枪", "scale": "电子秤", "display": "客显", "device": "设备"}


class DeviceError(PosError):
    """A device could not do what was asked. ``reason`` is stable for tests and the settings screen:
    config, port_missing, permission, busy, no_answer, garbled, disconnected, unstable, failed."""

    code = "device_error"

    def __init__(self, message: str, *, message_zh: str, reason: str = "failed", device: str = "", **details: object) -> None:
        super().__init__(message, message_zh=message_zh, device=device, **details)
        self.reason = reason
        self.device = device


class DeviceConfigError(DeviceError):
    code = "device_config"

    def __init__(self, message: str, *, message_zh: str, device: str = "", **details: object) -> None:
        super().__init__(message, message_zh=message_zh, reason="config", device=device, **details)


def _errno_of(exc: BaseException) -> int | None:
    for e in (exc, exc.__cause__, exc.__context__):
        n = getattr(e, "errno", None)
        if isinstance(n, int):
            return n
    return None


def serial_error(exc: BaseException, *, kind: str, url: str, port: str, doing: str = "open") -> DeviceError:
    """Explain a pyserial/OS failure on ``port`` for a cashier (which device, what to check)."""
    what, what_zh = kind, KIND_ZH.get(kind, kind)
    text = str(exc)
    n = _errno_of(exc)
    low = text.lower()
    if isinstance(exc, ValueError):
        return DeviceConfigError(f"{what} {url}: invalid serial settings ({text})",
                                 message_zh=f"{what_zh} {url} 串口参数无效（{text}）", device=url)
    if n == _errno.ENOENT or isinstance(exc, FileNotFoundError) or "no such file" in low:
        return DeviceError(f"{what} {url}: there is no serial port {port} (not plugged in, or the wrong port name)",
                           message_zh=f"{what_zh}串口 {port} 不存在（设备未连接或端口名有误）",
                           reason="port_missing", device=url)
    if n in (_errno.EACCES, _errno.EPERM) or isinstance(exc, PermissionError) or "permission denied" in low:
        return DeviceError(
            f"{what} {url}: permission denied on {port} (on Linux add the user to the dialout group and log in again)",
            message_zh=f"没有权限打开{what_zh}串口 {port}（Linux 上请把当前用户加入 dialout 组后重新登录）",
            reason="permission", device=url)
    if n == _errno.EBUSY or "busy" in low or "exclusively lock" in low:
        return DeviceError(f"{what} {url}: {port} is in use by another program",
                           message_zh=f"{what_zh}串口 {port} 被其他程序占用", reason="busy", device=url)
    if "timeout" in type(exc).__name__.lower() or "timed out" in low or "write timeout" in low:
        return DeviceError(f"{what} {url}: {port} did not take the data in time (device not ready?)",
                           message_zh=f"{what_zh}串口 {port} 写入超时（设备未就绪）", reason="no_answer", device=url)
    if doing != "open" or n in (_errno.EIO, _errno.ENXIO, _errno.ENODEV) or "disconnected" in low:
        return DeviceError(f"{what} {url}: {port} was disconnected ({text})",
                           message_zh=f"{what_zh}串口 {port} 已断开，请检查连接线", reason="disconnected", device=url)
    return DeviceError(f"{what} {url}: cannot open {port} ({text})",
                       message_zh=f"无法打开{what_zh}串口 {port}（{text}）", reason="failed", device=url)


def no_answer(kind: str, url: str, hint_zh: str = "", hint: str = "") -> DeviceError:
    what_zh = KIND_ZH.get(kind, kind)
    return DeviceError(
        f"{kind} {url} did not answer" + (f" ({hint})" if hint else ""),
        message_zh=f"{what_zh} {url} 无响应" + (f"（{hint_zh}）" if hint_zh else ""),
        reason="no_answer", device=url,
    )
