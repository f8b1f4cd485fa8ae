"""The feature cache trusts only a directory of this user without links, and only entries it signed."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil

import pytest

from xapp.extraction import CacheRefused, FeatureCache, user_cache_root
from xapp.features import ParseOptions
from xapp.scan import discover, extract_all

SOURCE = "void f(float *y) { for (int i = 0; i < 64; i++) y[i] = 0; }\n"


def _one(tmp_path, cache):
    src = tmp_path / "src" / "a.c"
    src.parent.mkdir(exist_ok=True)
    if not src.exists():
        src.write_text(SOURCE)
    (outcome,) = extract_all(discover([str(src)], ParseOptions()), cache=cache)
    return outcome


def test_default_is_per_user_under_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_root() == tmp_path / "xdg" / "xapp"
    assert FeatureCache().directory == tmp_path / "xdg" / "xapp"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")         # the XDG spec: absolute paths only
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_cache_root() == tmp_path / "home" / ".cache" / "xapp"
    first = _one(tmp_path, FeatureCache())
    assert not first.cached and _one(tmp_path, FeatureCache()).cached
    assert (tmp_path / "home" / ".cache" / "xapp").stat().st_mode & 0o077 == 0
    assert not any(p.name == ".xapp-cache" for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("where", ["top", "fan-out", "entry", "cache itself"])
def test_a_symbolic_link_in_the_cache_is_refused(tmp_path, where):
    cache_dir = tmp_path / "cache"
    _one(tmp_path, FeatureCache(cache_dir))
    (entry,) = cache_dir.rglob("??/*.json")
    victim = tmp_path / "victim"
    victim.write_text("keep")
    if where == "top":
        (cache_dir / "zz").symlink_to(victim)      # not a hex fan-out name: never the entry's own folder
    elif where == "fan-out":
        shutil.rmtree(entry.parent)
        entry.parent.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    elif where == "entry":
        entry.unlink()
        entry.symlink_to(victim)
    else:
        shutil.move(cache_dir, tmp_path / "real")
        cache_dir.symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(CacheRefused, match="symbolic link.*refused"):
        FeatureCache(cache_dir).check()
    assert victim.read_text() == "keep" and not (tmp_path / "elsewhere").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a directory to another user needs root")
def test_a_cache_owned_by_another_user_is_refused(tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    os.chown(cache_dir, 4242, 4242)
    with pytest.raises(CacheRefused, match="owned by uid 4242"):
        FeatureCache(cache_dir).check()


def test_a_forged_entry_is_never_used(tmp_path):
    """An attacker who knows the key and the format but not this user's secret cannot plant a result."""
    cache_dir = tmp_path / "cache"
    first = _one(tmp_path, FeatureCache(cache_dir))
    (entry,) = cache_dir.rglob("??/*.json")
    doc = json.loads(entry.read_text())
    forged = {**doc["body"], "error": {"status": "parse_error", "message": "a.c: invented", "file": "a.c"}}
    forged.pop("features")
    canonical = json.dumps({"key": doc["key"], "body": forged}, sort_keys=True, ensure_ascii=False).encode()
    doc = {"key": doc["key"], "body": forged, "mac": hmac.new(b"x" * 32, canonical, hashlib.sha256).hexdigest()}
    entry.write_text(json.dumps(doc))
    again = _one(tmp_path, FeatureCache(cache_dir))
    assert (again.status, again.cached) == ("ok", False)
    assert again.features.as_dict() == first.features.as_dict()


def test_the_key_holds_the_real_location(tmp_path):
    """The same bytes in another checkout are another entry: a tree cannot pre-compute a victim's keys from
    its own content alone."""
    a, b = tmp_path / "one" / "a.c", tmp_path / "two" / "a.c"
    for f in (a, b):
        f.parent.mkdir()
        f.write_text(SOURCE)
    cache = FeatureCache(tmp_path / "cache")
    assert cache.key(a, a.read_bytes(), ParseOptions()) != cache.key(b, b.read_bytes(), ParseOptions())
    link = tmp_path / "link.c"
    link.symlink_to(a)
    assert cache.key(link, a.read_bytes(), ParseOptions()) == cache.key(a, a.read_bytes(), ParseOptions())
