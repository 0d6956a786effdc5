"""``vmtrace hosts``: the host CPU profiles ``-cpu host``/``max`` can see under modelled KVM."""

from __future__ import annotations

import argparse
import json

from model.target_i386.host_profile import DEFAULT_HOST, HostProfile, shipped_profiles
from tracer.cli.common import add_command
from tracer.labels import clean


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "hosts", "list the shipped host CPU profiles (for --host-profile)",
        "List the host CPUs vmtrace ships for `-accel kvm -cpu host` (KVM cannot run here, so the\n"
        "host is a recorded real CPU): name, vendor, family/model/stepping, model-id, how many\n"
        "features KVM offers, and where the recording came from. `*` marks the default.",
        "  vmtrace hosts\n"
        "  vmtrace record --host-profile EPYC-7601 -o h.json -- -accel kvm -cpu host",
    )
    parser.add_argument("--json", action="store_true", help="print the profiles as a JSON list")
    parser.set_defaults(func=run)


def _row(profile: HostProfile) -> dict[str, object]:
    return {"name": profile.name, "default": profile.name == DEFAULT_HOST, "vendor": profile.vendor,
            "family": profile.family, "model": profile.model, "stepping": profile.stepping,
            "model_id": profile.model_id.strip(), "phys_bits": profile.phys_bits,
            "features": len(profile.features), "method": profile.method, "source": profile.source}


def run(args: argparse.Namespace) -> int:
    rows = [_row(p) for p in shipped_profiles()]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    width = max(len(str(r["name"])) for r in rows)
    for r in rows:
        mark = "*" if r["default"] else " "
        print(f"{mark} {r['name']!s:<{width}}  {r['vendor']}  {r['family']}/{r['model']}/{r['stepping']}  "
              f"{clean(str(r['model_id']))}  ({r['features']} features, {r['phys_bits']} phys-bits)")
        print(f"  {'':<{width}}  from {clean(str(r['source']))}")
    return 0
