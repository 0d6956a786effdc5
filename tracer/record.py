"""Record a model run into a :class:`Trace`: the one place the tracer calls the model."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from typing import Any

from model.data_files import qemu_version
from model.run import run_qemu
from model.target_i386.host_profile import default_profile, resolve_profile
from tracer import __version__
from tracer.machine.mtree import render_mtree
from tracer.machine.pci import pci_to_data
from tracer.machine.qomtree import render_qom_tree
from tracer.machine.qtree import render_qtree
from tracer.recorder import Recorder
from tracer.trace import FORMAT_NAME, FORMAT_VERSION, MachineViews, Meta, Result, Trace, TypeEntry

PROGNAME = "qemu-system-x86_64"


def decode_argv(args: Sequence[str]) -> tuple[list[str], list[bytes] | None]:
    """QEMU takes bytes; Python hands us undecodable bytes as surrogates (PEP 383), which no
    JSON document can hold. Returns the arguments as text (each undecodable byte as U+FFFD,
    which is what the model sees) and, only when some argument was not UTF-8, every
    argument's exact bytes for ``meta.argv_raw``."""
    raw = [os.fsencode(arg) for arg in args]
    try:
        for arg in args:
            arg.encode("utf-8")
    except UnicodeEncodeError:
        return [data.decode("utf-8", "replace") for data in raw], raw
    return list(args), None


def profile_for_model(spec: str | None) -> tuple[str, dict[str, Any]]:
    """The host profile ``spec`` names (the shipped default for None), as its name and the
    plain data the model takes. Raises ``HostProfileError`` for a bad profile."""
    loaded = default_profile() if spec is None else resolve_profile(spec)
    return loaded.name, {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in loaded.__dict__.items()}


def record_trace(qemu_args: Sequence[str], *, host_profile: str | None = None) -> Trace:
    """Run the model on ``qemu-system-x86_64 QEMU_ARGS`` with a recorder and build the trace.

    ``host_profile`` names a shipped host CPU profile for ``-cpu host``/``max`` under KVM, or
    is the path of a profile file (the shipped default is used otherwise); the trace's meta
    names the profile either way. Raises ``HostProfileError`` for a bad profile.
    """
    profile_name, profile = profile_for_model(host_profile)
    text_args, raw_args = decode_argv(qemu_args)
    with Recorder() as rec:
        run = run_qemu(text_args, host_profile=profile)
    types = [TypeEntry(name=t["name"], parent=t["parent"], abstract=t["abstract"], interfaces=t["interfaces"],
                       hooks=t["hooks"]) for t in run.types]
    meta = Meta(argv=[PROGNAME, *text_args], vmtrace_version=__version__, qemu_version=qemu_version(),
                created=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                host_profile=profile_name,
                argv_raw=None if raw_args is None else [PROGNAME.encode(), *raw_args])
    views = None
    if run.views is not None:
        views = MachineViews(qom_tree=render_qom_tree(run.views.qom_tree, eol="\n"),
                             qtree=render_qtree(run.views.qtree, eol="\n"), pci=pci_to_data(run.views.pci),
                             mtree=None if run.mtree is None else render_mtree(run.mtree))
    result = Result(exit_status=run.exit_status, stdout=run.stdout, stderr=run.stderr, machine=run.machine,
                    cpu=run.cpu, machine_views=views)
    return Trace(format=FORMAT_NAME, version=FORMAT_VERSION, meta=meta, types=types,
                 functions=dict(rec.functions), events=rec.events(), result=result)
