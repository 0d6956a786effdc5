"""The conformance command lines (test design, written by hand; expectations come from the binary).

Each case is the argument list that follows ``qemu-system-x86_64 -accel tcg -S -display none
-nodefaults`` plus a short note on the rule it exercises. Ids are the joined arguments, so they are
unique and say what they run.
"""

from __future__ import annotations

from typing import Any

MACHINES = ["pc", "q35", "pc-i440fx-2.0", "pc-i440fx-3.1", "pc-i440fx-4.0", "pc-i440fx-4.1", "pc-q35-5.0",
            "pc-q35-4.0", "pc-i440fx-1.4", "microvm", "isapc"]

# (feature string for -cpu, what it exercises); all run on -machine pc.
FEATURE_STRINGS: list[tuple[str, str]] = [
    ("qemu64", "plain default model"),
    ("qemu64,+avx", "+feat"),
    ("qemu64,-sse2", "-feat"),
    ("qemu64,avx=on", "feat=on"),
    ("qemu64,sse2=off", "feat=off"),
    ("qemu64,avx", "bare feat means on"),
    ("qemu64,avx=yes", "bool spelling yes"),
    ("qemu64,avx=true", "bool spelling true"),
    ("qemu64,avx=ON", "bool value case"),
    ("qemu64,avx=1", "bool value 1"),
    ("qemu64,avx=maybe", "bad bool value"),
    ("qemu64,hv_relaxed=on", "_ -> - for k=v"),
    ("qemu64,+hv_relaxed", "no _ -> - for +feat"),
    ("qemu64,sse4_2=off", "legacy alias via k=v"),
    ("qemu64,+sse4_2", "legacy alias via +"),
    ("qemu64,-sse4-2", "legacy alias sse4-2"),
    ("qemu64,xd=off", "legacy alias xd -> nx"),
    ("qemu64,+i64", "legacy alias i64 -> lm"),
    ("qemu64,-i64", "legacy alias i64 off"),
    ("qemu64,lahf_lm=off", "legacy alias lahf_lm"),
    ("qemu64,+sse3,-pni", "alias and target in plus and minus"),
    ("qemu64,ffxsr=on", "legacy alias ffxsr"),
    ("qemu64,+pclmuldq", "legacy alias pclmuldq"),
    ("qemu64,kvm_pv_eoi=on", "alias in the KVM leaf (cleared under TCG)"),
    ("qemu64,kvmclock=on", "KVM leaf feature under TCG"),
    ("qemu64,tsc-freq=1G", "tsc-freq metric suffix G"),
    ("qemu64,tsc-freq=2.5G", "tsc-freq fractional"),
    ("qemu64,tsc_freq=1000000", "tsc_freq spelling"),
    ("qemu64,tsc-freq=1k", "tsc-freq suffix k"),
    ("qemu64,tsc-freq=100M", "tsc-freq suffix M"),
    ("qemu64,tsc-freq=1T", "tsc-freq suffix T"),
    ("qemu64,tsc-freq=1K", "tsc-freq suffix K"),
    ("qemu64,tsc-freq=abc", "tsc-freq bad value"),
    ("qemu64,tsc-freq=-1", "tsc-freq negative"),
    ("qemu64,tsc-freq=", "tsc-freq empty"),
    ("qemu64,tsc-freq=99999999999999999999", "tsc-freq overflow"),
    ("qemu64,tsc-freq=16E", "tsc-freq above INT64_MAX"),
    ("qemu64,tsc-frequency=5000", "tsc-frequency direct"),
    ("qemu64,family=6", "family good"),
    ("qemu64,family=zz", "family bad"),
    ("qemu64,family=-1", "family negative"),
    ("qemu64,family=0x10", "family hex"),
    ("qemu64,family=300", "family too big"),
    ("qemu64,family=", "family empty"),
    ("qemu64,model=200", "model good"),
    ("qemu64,model=256", "model too big"),
    ("qemu64,stepping=15", "stepping max"),
    ("qemu64,stepping=16", "stepping too big"),
    ("qemu64,level=0x20", "level hex"),
    ("qemu64,level=7", "level lowered"),
    ("qemu64,level=0", "level zero"),
    ("qemu64,xlevel=0x80000020", "xlevel"),
    ("qemu64,xlevel=0", "xlevel zero"),
    ("qemu64,min-level=5", "min-level"),
    ("qemu64,min-xlevel=0x80000010", "min-xlevel"),
    ("qemu64,vendor=GenuineIntel", "vendor good"),
    ("qemu64,vendor=Foo", "vendor wrong length"),
    ("qemu64,model-id=Hello World", "model-id with a space"),
    ("qemu64,model-id=", "model-id empty"),
    ("qemu64,phys-bits=40", "phys-bits good"),
    ("qemu64,phys-bits=20", "phys-bits too small"),
    ("qemu64,phys-bits=63", "phys-bits too big"),
    ("qemu64,hv-spinlocks=1", "hv-spinlocks small (7.2 accepts)"),
    ("qemu64,hv-spinlocks=0x1fff", "hv-spinlocks hex"),
    ("qemu64,hv-spinlocks=abc", "hv-spinlocks bad"),
    ("qemu64,+avx,avx=off", "ambiguity: + then =off"),
    ("qemu64,avx=off,+avx", "no ambiguity warning when k=v comes first"),
    ("qemu64,-avx,avx=on", "ambiguity: - then =on"),
    ("qemu64,avx=on,-avx", "k=v then -"),
    ("qemu64,-x2apic,x2apic=on", "ambiguity (reference example)"),
    ("qemu64,x2apic=on,-x2apic", "no warning (reference example)"),
    ("qemu64,+avx,avx=off,-sse,sse=on", "two ambiguity warnings"),
    ("qemu64,+avx,-avx", "plus then minus: minus wins"),
    ("qemu64,-avx,+avx", "minus then plus: minus wins"),
    ("qemu64,avx=on,avx=off", "duplicate k=v, last wins"),
    ("qemu64,+avx,+avx", "duplicate +"),
    ("qemu64,+nosuch", "unknown +feature"),
    ("qemu64,-nosuch", "unknown -feature"),
    ("qemu64,nosuch=on", "unknown feature=on"),
    ("qemu64,nosuch", "unknown bare feature"),
    ("qemu64,+", "empty +"),
    ("qemu64,-", "empty -"),
    ("qemu64,=on", "empty key"),
    ("qemu64,", "trailing comma"),
    ("qemu64,,", "two trailing commas"),
    ("Skylake-Client,,+avx", "empty item"),
    (",+avx", "empty model name"),
    ("QEMU64", "model name case"),
    ("skylake-client", "model name case"),
    ("qemu64,+AVX", "feature name case (+)"),
    ("qemu64,AVX=on", "feature name case (k=v)"),
    ("qemu64,check=off,+avx512f", "check off: no warnings"),
    ("qemu64,check", "bare check"),
    ("qemu64,enforce", "enforce with nothing filtered"),
    ("qemu64,+avx512f,enforce", "enforce failing"),
    ("Skylake-Client,enforce", "enforce failing on a model"),
    ("Skylake-Client,check=off", "model without warnings"),
    ("Skylake-Client,+avx512f,-sse4.2", "reference scenario B"),
    ("Skylake-Client,vme=on", "vme on despite the TCG default"),
    ("qemu64,+vmx-ept", "dependency warning (vmx off)"),
    ("qemu64,+vmx,+vmx-ept", "dependency satisfied but unsupported"),
    ("base,+npt", "dependency warning (svm off)"),
    ("qemu64,+npt", "svm on in qemu64"),
    ("qemu64,-svm,+npt", "dependency of a removed parent"),
    ("Skylake-Client,+vmx", "vmx on a model with vmx-* bits"),
    ("Skylake-Client,-xsaves,+vmx-xsaves", "dependency chain"),
    ("qemu64,+arch-capabilities,+rdctl-no", "MSR feature warnings"),
    ("qemu64,+rdctl-no", "MSR feature without its parent"),
    ("qemu64,+intel-pt-lip", "CPUID 14H dependency"),
    ("qemu64,+sgx1", "CPUID 12H word"),
    ("qemu64,+avx512-bf16", "CPUID 07H ecx 1 word"),
    ("qemu64,+hypervisor", "hypervisor bit"),
    ("qemu64,-hypervisor", "hypervisor off"),
    ("qemu64,pmu=on", "pmu"),
    ("qemu64,vme=on", "unsupported 01H:EDX bit"),
    ("qemu64,help", "help as a feature name"),
    ("host", "host under TCG"),
    ("host,+avx", "host with features"),
    ("max", "max"),
    ("max,-avx", "max minus a feature"),
    ("max,migratable=off", "max unmigratable"),
    ("max,+vmx", "max plus unsupported"),
    ("max,enforce", "max enforce"),
    ("base", "base"),
    ("base,+sse4.2", "base plus"),
    ("Skylake-Client", "unversioned alias"),
    ("Skylake-Client-v1", "v1"),
    ("Skylake-Client-v4", "latest version"),
    ("Skylake-Client-IBRS", "named alias"),
    ("Skylake-Client-noTSX-IBRS", "named alias to v3"),
    ("Cascadelake-Server-noTSX", "named alias"),
    ("Icelake-Server", "model with many filtered bits"),
    ("EPYC", "AMD model"),
    ("EPYC-Rome,+avx512f", "AMD model plus"),
    ("Denverton-v2", "version with note"),
    ("Opteron_G3", "old AMD"),
    ("kvm64", "kvm64"),
    ("qemu32", "32-bit model"),
    ("486", "486"),
    ("n270", "n270"),
    ("Skylake-Client,model-id=Foo Bar,family=7", "model with props"),
]

# Command lines beyond a single -cpu on -machine pc.
OTHER_CASES: list[tuple[list[str], str]] = [
    (["-cpu", "help"], "help"),
    (["-cpu", "?"], "help spelled ?"),
    (["-machine", "q35", "-cpu", "help"], "help with a machine"),
    (["-cpu", ""], "empty -cpu"),
    (["-cpu", "nosuch"], "unknown model"),
    (["-cpu", "nosuch,+avx"], "unknown model with features"),
    (["-cpu"], "missing argument"),
    (["-machine", "pc", "-smp", "2"], "two CPUs"),
    (["-machine", "pc", "-smp", "4", "-cpu", "Skylake-Client"], "four CPUs"),
    (["-machine", "pc", "-smp", "2", "-cpu", "Skylake-Client,+avx512f"], "warnings per CPU"),
    (["-machine", "q35", "-smp", "2,sockets=1,cores=2", "-cpu", "max"], "topology"),
    (["-machine", "pc", "-cpu", "qemu64", "-cpu", "Skylake-Client"], "last -cpu wins"),
    (["-machine", "none", "-cpu", "qemu64"], "machine without CPUs"),
    (["-machine", "none", "-cpu", "nosuch"], "machine none still parses -cpu"),
    (["-machine", "pc", "-accel", "tcg,thread=single", "-cpu", "qemu64"], "accel variation"),
    (["-machine", "pc", "-accel", "tcg,tb-size=64", "-cpu", "max"], "accel variation"),
    (["-machine", "microvm", "-cpu", "Skylake-Client"], "microvm resolves aliases to the latest version"),
    (["-machine", "microvm", "-cpu", "EPYC"], "microvm latest EPYC"),
    (["-machine", "pc-i440fx-4.0", "-cpu", "Skylake-Client,+avx512f"], "legacy alias resolution"),
    (["-machine", "pc-i440fx-3.1", "-cpu", "Cascadelake-Server"], "compat props on a model type"),
    (["-machine", "pc-i440fx-3.1", "-cpu", "Cascadelake-Server-v1"], "versioned type misses the compat"),
    (["-machine", "pc-i440fx-2.0", "-cpu", "Opteron_G3"], "old compat props"),
    (["-machine", "pc-i440fx-2.0", "-cpu", "qemu64,+avx"], "old machine with features"),
    (["-machine", "pc-i440fx-6.0", "-cpu", "qemu64"], "qemu64 family/model compat"),
    (["-machine", "pc-i440fx-6.1", "-cpu", "qemu64"], "qemu64 after the compat"),
    (["-machine", "isapc", "-cpu", "qemu64"], "isapc with a 64-bit model"),
    (["-machine", "pc-q35-5.0", "-cpu", "Skylake-Server"], "q35 old"),
    (["-machine", "pc", "-cpu", "Skylake-Client,+avx512f", "-smp", "1"], "-smp after -cpu"),
]

PER_MACHINE_CPUS = ["", "Skylake-Client", "max", "qemu64,+avx"]


def case_list() -> list[dict[str, Any]]:
    """Every case as ``{"id", "args", "note"}``, in a stable order."""
    cases: list[dict[str, Any]] = []
    for machine in MACHINES:
        for cpu in PER_MACHINE_CPUS:
            args = ["-machine", machine] + (["-cpu", cpu] if cpu else [])
            cases.append({"args": args, "note": f"machine {machine}, " + (f"-cpu {cpu}" if cpu else "default CPU")})
    for cpu, note in FEATURE_STRINGS:
        cases.append({"args": ["-machine", "pc", "-cpu", cpu], "note": note})
    for args, note in OTHER_CASES:
        cases.append({"args": args, "note": note})
    seen: set[str] = set()
    out = []
    for c in cases:
        cid = " ".join(c["args"])
        if cid not in seen:
            seen.add(cid)
            out.append({"id": cid, **c})
    return out
