"""Pure checks of issue 12's data and helpers: host profiles, QDict order, -msg masking."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from model.qobject.qdict import qdict_order, tdb_hash
from model.softmmu.msg import TIMESTAMP_MASK, mask_timestamps, timestamp_now
from model.target_i386.host_profile import (
    DEFAULT_HOST,
    HOSTS_DIR,
    HostProfileError,
    resolve_profile,
    shipped_profiles,
)
from model.target_i386.qom_view import feature_names

CASES = Path(__file__).parent / "conformance" / "init_cases.json"


def test_shipped_profiles_are_real_cpus_with_their_provenance() -> None:
    profiles = shipped_profiles()
    assert DEFAULT_HOST in {p.name for p in profiles}
    known = set(feature_names())
    for profile in profiles:
        assert profile.source, profile.name  # every profile says where it came from
        assert profile.features <= known, sorted(profile.features - known)
        assert profile.kvm_extra <= known
        assert 32 <= profile.phys_bits <= 52
    default = resolve_profile(DEFAULT_HOST)
    # A modern server: the features whose absence drowned libvirt command lines in warnings.
    assert {"pni", "ssse3", "sse4.1", "sse4.2", "popcnt", "aes", "xsave", "avx", "avx2"} <= default.features
    assert sum(path.stat().st_size for path in HOSTS_DIR.glob("*.json")) < 1_000_000


def test_resolve_profile_by_name_any_case_or_refuses_with_the_names() -> None:
    assert resolve_profile("epyc-7601").name == "EPYC-7601"
    with pytest.raises(HostProfileError, match=r"nosuch: no such host profile .*EPYC-7713"):
        resolve_profile("nosuch")


def test_qdict_walks_buckets_in_index_order() -> None:
    assert tdb_hash("foo") % 512 > tdb_hash("bar") % 512
    assert qdict_order(["foo", "bar"]) == ["bar", "foo"]
    assert qdict_order(["zz", "aa"]) == ["aa", "zz"]


def test_timestamps_have_qemus_shape_and_are_masked() -> None:
    line = timestamp_now() + "qemu-system-x86_64: x"
    assert mask_timestamps([line, "plain"]) == [TIMESTAMP_MASK + "qemu-system-x86_64: x", "plain"]


def test_issue_12_cases_are_unique_and_never_open_a_network_backend() -> None:
    cases = json.loads(CASES.read_text())["cases"]
    keys = [tuple(c["args"]) for c in cases]
    assert len(keys) == len(set(keys))
    for args in keys:
        for option, value in itertools.pairwise(args):
            if option in ("-netdev", "-nic"):
                kind = value.split(",")[0]
                assert kind in ("help", "none", "nosuch", "type=") or kind.startswith("id="), args
