"""Where the feature cache lives and how its files are read and written, safe against a hostile tree.

A cache directory is trusted only when this user owns it and it holds no symbolic
link (at its top, in its fan-out folders, among its entries); anything else is
refused with `CacheRefused`, which says why and what to do. The default directory
is per user (`$XDG_CACHE_HOME/xapp`, else `~/.cache/xapp`, created mode 0700),
never a folder of the scanned tree, where a checkout could have committed one.

Every file operation goes through a descriptor of the checked directory
(`dir_fd`) with `O_NOFOLLOW`, so a link planted after the check is not followed
either; an entry is written to a fresh temporary file (`O_CREAT | O_EXCL`, mode
0600) in its own folder and renamed over the old one, so a reader sees the old
entry or the new one.

Entries are signed: each holds an HMAC-SHA256 of its own content (its key and its
body) under a secret of this user (`secret.key` in the per-user directory, 32
random bytes, mode 0600, created exclusively), and `read` returns only an entry
whose signature and key check out. An entry written by anyone without that secret
(a forged or tampered one, an entry renamed to another key) is a miss and is
overwritten.
"""
from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import secrets
import stat
import threading
from pathlib import Path

from ..errors import InputError

__all__ = ["CacheRefused", "CacheStore", "user_cache_root"]

SECRET_NAME = "secret.key"
SECRET_BYTES = 32
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
MAX_ENTRY_BYTES = 64 << 20      # an entry larger than this was not written by xapp: a miss, never read whole
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by xapp (its feature cache).\n")


class CacheRefused(InputError):
    """The cache directory cannot be trusted (another owner, a symbolic link inside) or made."""


def user_cache_root() -> Path:
    """`$XDG_CACHE_HOME/xapp` (an absolute XDG_CACHE_HOME only, as the XDG spec says), else ~/.cache/xapp."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "xapp"


def _refused(directory: Path, why: str) -> CacheRefused:
    return CacheRefused(f"feature cache {directory}: {why}; refused (use another --cache-dir, or --no-cache)")


def _check_owned(info: os.stat_result, what: Path, directory: Path) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise _refused(directory, f"{what} is a symbolic link")
    if info.st_uid != os.geteuid():
        raise _refused(directory, f"{what} is owned by uid {info.st_uid}, not by this user (uid {os.geteuid()})")


def _open_dir(directory: Path, create: bool) -> int:
    """A descriptor of `directory` (made mode 0700 when missing and `create`), checked: ours, no link."""
    if create:
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise _refused(directory, f"cannot be created ({exc.strerror or exc})") from None
    try:
        fd = os.open(directory, _DIR_FLAGS)
    except OSError as exc:
        link = exc.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(directory)
        raise _refused(directory, "is a symbolic link" if link else f"cannot be opened ({exc.strerror or exc})") \
            from None
    try:
        _check_owned(os.fstat(fd), directory, directory)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_tree(fd: int, directory: Path) -> None:
    """Every name in the cache and in its fan-out folders: ours and no symbolic link."""
    for entry in os.scandir(fd):
        info = entry.stat(follow_symlinks=False)
        _check_owned(info, directory / entry.name, directory)
        if stat.S_ISDIR(info.st_mode):
            sub = os.open(entry.name, _DIR_FLAGS, dir_fd=fd)
            try:
                for inner in os.scandir(sub):
                    _check_owned(inner.stat(follow_symlinks=False), directory / entry.name / inner.name, directory)
            finally:
                os.close(sub)


def _read_at(fd: int, name: str, limit: int) -> bytes:
    """A regular file's bytes under `fd`, never following a link; OSError for anything else."""
    f = os.open(name, _READ_FLAGS, dir_fd=fd)
    try:
        info = os.fstat(f)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(errno.EINVAL, "not a regular file of a plausible size")
        with os.fdopen(f, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(f)


def _write_new(fd: int, name: str, data: bytes) -> None:
    """Create `name` under `fd` exclusively (mode 0600) and write `data`; removed again on failure."""
    f = os.open(name, _NEW_FLAGS, 0o600, dir_fd=fd)
    try:
        with os.fdopen(f, "wb", closefd=False) as fh:
            fh.write(data)
    except BaseException:
        os.unlink(name, dir_fd=fd)
        raise
    finally:
        os.close(f)


def _secret(root: Path) -> bytes:
    """This user's signing secret, made once (exclusively) in the per-user directory."""
    fd = _open_dir(root, create=True)
    try:
        try:
            _write_new(fd, SECRET_NAME, secrets.token_bytes(SECRET_BYTES))
        except FileExistsError:
            pass
        f = os.open(SECRET_NAME, _READ_FLAGS, dir_fd=fd)
        try:
            info = os.fstat(f)
            _check_owned(info, root / SECRET_NAME, root)
            if info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode):
                raise _refused(root, f"{SECRET_NAME} is readable or writable by other users")
            data = os.read(f, SECRET_BYTES + 1)
        finally:
            os.close(f)
    except OSError as exc:
        raise _refused(root, f"its {SECRET_NAME} cannot be made or read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) != SECRET_BYTES:
        raise _refused(root, f"{SECRET_NAME} is not {SECRET_BYTES} bytes")
    return data


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


class CacheStore:
    """Signed JSON entries `<directory>/<key[:2]>/<key>.json`, opened and checked once (`open`)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._fd: int | None = None
        self._secret = b""
        self._lock = threading.Lock()

    def open(self) -> None:
        """Check the directory (CacheRefused when it cannot be trusted) and load the secret, once."""
        with self._lock:
            if self._fd is not None:
                return
            secret = _secret(user_cache_root())
            fd = _open_dir(self.directory, create=True)
            try:
                _check_tree(fd, self.directory)
                self._tag(fd)
            except OSError as exc:
                os.close(fd)
                raise _refused(self.directory, f"cannot be examined ({exc.strerror or exc})") from None
            except BaseException:
                os.close(fd)
                raise
            self._fd, self._secret = fd, secret

    def _tag(self, fd: int) -> None:
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by xapp\n*\n")):
            try:
                _write_new(fd, name, text.encode("utf-8"))
            except FileExistsError:
                pass

    def _mac(self, key: str, body: dict) -> str:
        return hmac.new(self._secret, _canonical({"key": key, "body": body}), hashlib.sha256).hexdigest()

    def read(self, key: str) -> dict | None:
        """The body stored under `key` when its signature holds; None for a miss, a forgery or junk."""
        self.open()
        try:
            sub = os.open(key[:2], _DIR_FLAGS, dir_fd=self._fd)
        except OSError:
            return None
        try:
            doc = json.loads(_read_at(sub, f"{key}.json", MAX_ENTRY_BYTES))
        except (OSError, ValueError):
            return None
        finally:
            os.close(sub)
        if not isinstance(doc, dict) or doc.get("key") != key or not isinstance(doc.get("body"), dict):
            return None
        mac = doc.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._mac(key, doc["body"])):
            return None
        return doc["body"]

    def write(self, key: str, body: dict) -> None:
        """Store `body` under `key`, signed; a cache that cannot be written only costs speed."""
        self.open()
        try:
            data = _canonical({"key": key, "body": body, "mac": self._mac(key, body)})
        except (TypeError, ValueError):
            return
        try:
            os.mkdir(key[:2], 0o700, dir_fd=self._fd)
        except FileExistsError:
            pass
        except OSError:
            return
        try:
            sub = os.open(key[:2], _DIR_FLAGS, dir_fd=self._fd)
        except OSError:
            return                     # a link planted as the fan-out folder: never followed
        tmp = f".tmp-{secrets.token_hex(8)}.json"
        try:
            if os.fstat(sub).st_uid != os.geteuid():
                return
            _write_new(sub, tmp, data)
            os.replace(tmp, f"{key}.json", src_dir_fd=sub, dst_dir_fd=sub)
        except OSError:
            _unlink_quietly(sub, tmp)
        finally:
            os.close(sub)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _unlink_quietly(fd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass
