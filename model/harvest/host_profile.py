"""Capture a host CPU profile for ``-cpu host``/``-cpu max`` under modelled KVM.

``python -m model.harvest.host_profile -o myhost.json [--name NAME]`` records this machine:

* where ``/dev/kvm`` works, exactly: QEMU realizes ``-accel kvm -cpu host`` and we read the
  CPU's identity, levels, phys-bits and every feature property that is on (method ``kvm``);
* otherwise from ``/proc/cpuinfo`` (method ``cpuinfo``): vendor, family, model, stepping, model
  name, address sizes, and the Linux flag names mapped to QEMU's feature names. Leaf levels
  are not in cpuinfo and default to what the features need.

The XSAVE components KVM offers (``xcr0``) come from QEMU's ``feature-words`` (CPUID 0xD.0)
with KVM; otherwise from the raw CPUID 0xD.0 of ``/dev/cpu/0/cpuid`` (Linux's ``cpuid``
module, usually root only) limited to the components whose feature the host has, as Linux
enables them; without either the field is left out and vmtrace derives it from the features.

The profile is plain JSON; give it to ``vmtrace record --host-profile FILE``. The exact
method talks QMP through ``qemu.qmp``, the optional extra ``vmtrace[qmp]``; without it the tool
still works from ``/proc/cpuinfo`` and says in one line what to install.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import struct
import sys
from pathlib import Path
from typing import Any

from model.target_i386.xsave import offered_xcr0

QMP_EXTRA_HINT = "pip install 'vmtrace[qmp]'"


class CaptureError(RuntimeError):
    """The exact capture could not run; the message is one line."""

LINUX_TO_QEMU = {"pni": "pni", "lahf_lm": "lahf-lm", "sse4_1": "sse4.1", "sse4_2": "sse4.2", "nx": "nx",
                 "pdpe1gb": "pdpe1gb", "tsc_deadline_timer": "tsc-deadline", "tsc_adjust": "tsc-adjust",
                 "cmp_legacy": "cmp-legacy", "cr8_legacy": "cr8legacy", "misalignsse": "misalignsse",
                 "3dnowprefetch": "3dnowprefetch", "fxsr_opt": "fxsr-opt", "abm": "abm",
                 "avx512_vnni": "avx512vnni", "avx512_bf16": "avx512-bf16", "avx512_bitalg": "avx512bitalg",
                 "avx512_vbmi2": "avx512vbmi2", "avx512_vpopcntdq": "avx512-vpopcntdq", "sha_ni": "sha-ni",
                 "arch_capabilities": "arch-capabilities", "spec_ctrl": "spec-ctrl", "ssbd": "ssbd",
                 "md_clear": "md-clear", "flush_l1d": "flush-l1d", "avx_vnni": "avx-vnni",
                 "movdir64b": "movdir64b", "xsaveerptr": "xsaveerptr", "virt_ssbd": "virt-ssbd",
                 "amd_ssbd": "amd-ssbd", "amd_stibp": "amd-stibp", "ibpb": "ibpb", "ibrs": "ibrs",
                 "stibp": "stibp", "fsrm": "fsrm", "serialize": "serialize", "tsxldtrk": "tsx-ldtrk"}
INTERESTING = ("family", "model", "stepping", "vendor", "model-id", "level", "xlevel", "phys-bits", "tsc-frequency")


def from_kvm(name: str) -> dict[str, Any]:
    try:  # deferred: qemu.qmp is an optional extra, and only this method needs it
        from model.harvest.session import HarvestError, QemuSession
    except ImportError as exc:
        raise CaptureError(f"the exact KVM capture needs qemu.qmp ({QMP_EXTRA_HINT}): {exc}") from None
    try:
        return _capture(name, QemuSession)
    except HarvestError as exc:
        raise CaptureError(str(exc)) from None


def _capture(name: str, session: Any) -> dict[str, Any]:
    words = json.loads((Path(__file__).resolve().parent.parent / "data" / "x86_feature_words.json").read_text())
    names = sorted(set(words["help_flag_names"]))
    with session(["-machine", "pc", "-cpu", "host"], base_args=("-accel", "kvm", "-S", "-display", "none",
                                                                     "-nodefaults")) as qmp:
        path = qmp.cmd("query-cpus-fast")[0]["qom-path"]
        ident = {k: qmp.cmd("qom-get", path=path, property=k) for k in INTERESTING}
        on = [n for n in names if qmp.cmd_raw("qom-get", path=path, property=n).get("return") is True]
        words = qmp.cmd("qom-get", path=path, property="feature-words")
    return {"name": name, "method": "kvm", "vendor": ident["vendor"], "family": ident["family"],
            "model": ident["model"], "stepping": ident["stepping"], "model_id": ident["model-id"],
            "level": ident["level"], "xlevel": ident["xlevel"], "phys_bits": ident["phys-bits"],
            "tsc_frequency": ident["tsc-frequency"], "xcr0": hex(xcr0_of_feature_words(words)), "features": on}


def xcr0_of_feature_words(words: list[dict[str, Any]]) -> int:
    """CPUID 0xD.0 EDX:EAX of ``-cpu host`` as QEMU shows it: the components KVM enabled."""
    xcr0 = 0
    for w in words:
        if w.get("cpuid-input-eax") == 0xD and w.get("cpuid-input-ecx") == 0:
            xcr0 |= int(w["features"]) << (32 if w["cpuid-register"] == "EDX" else 0)
    return xcr0


def raw_xcr0(device: str = "/dev/cpu/0/cpuid") -> int | None:
    """The processor's XSAVE component mask (raw CPUID 0xD.0 EDX:EAX), or None when the
    ``cpuid`` device is missing or not readable (the module is not loaded, or not root)."""
    try:
        fd = os.open(device, os.O_RDONLY)
    except OSError:
        return None
    try:
        data = os.pread(fd, 16, 0xD)  # the offset selects the leaf (low half) and subleaf (high)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) != 16:
        return None
    eax, _ebx, _ecx, edx = struct.unpack("<4I", data)
    return int(edx) << 32 | int(eax)


def from_cpuinfo(name: str, text: str) -> dict[str, Any]:
    first = text.split("\n\n", 1)[0]
    fields = dict(re.findall(r"^([^\t:]+?)\s*:\s*(.*)$", first, re.M))
    flags = fields.get("flags", "").split()
    features = sorted({LINUX_TO_QEMU.get(f, f.replace("_", "-")) for f in flags} | {"hypervisor"})
    phys = re.match(r"(\d+) bits physical", fields.get("address sizes", ""))
    return {"name": name, "method": "cpuinfo", "vendor": fields.get("vendor_id", "GenuineIntel"),
            "family": int(fields.get("cpu family", "6")), "model": int(fields.get("model", "0")),
            "stepping": int(fields.get("stepping", "0")), "model_id": fields.get("model name", ""),
            "level": 0xD, "xlevel": 0x80000008, "phys_bits": int(phys.group(1)) if phys else 40,
            "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.host_profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", required=True, help="where to write the profile JSON")
    parser.add_argument("--name", default=os.uname().nodename, help="a name for the profile")
    parser.add_argument("--cpuinfo", action="store_true", help="use /proc/cpuinfo even if KVM works")
    args = parser.parse_args(argv)
    profile = None
    if not args.cpuinfo and os.access("/dev/kvm", os.R_OK | os.W_OK):
        try:
            profile = from_kvm(args.name)
        except CaptureError as exc:
            print(f"host_profile: KVM capture failed ({exc}); using /proc/cpuinfo", file=sys.stderr)
    if profile is None:
        profile = from_cpuinfo(args.name, Path("/proc/cpuinfo").read_text())
        raw = raw_xcr0()
        if raw is not None:
            profile["xcr0"] = hex(offered_xcr0(raw, profile["features"]))
    Path(args.output).write_text(json.dumps(profile, indent=1) + "\n")
    print(f"wrote {args.output} ({profile['method']}: {len(profile['features'])} features, "
          f"{profile['model_id']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
