"""``-cpu help`` (``x86_cpu_list``): every CPU model class, then every CPUID flag name.

Models are sorted by their class's ``ordering`` (named models 0, ``base``/``host`` 8, ``max``
9) then by name, printed as ``x86 NAME(padded to 20)  DESCRIPTION``. The description is the
class's own, or for aliases where they point, or the version's model-id and note.
"""

from __future__ import annotations

import functools

from model.data_files import load_json
from model.qom.object import ObjectClass
from model.state import QemuInit
from model.target_i386.cpu_qom import model_name
from model.target_i386.models import CPU_VERSION_AUTO, CPUModel
from tracer.recorder import block, traced


def version_model_id(model: CPUModel, version: int) -> str:
    """The model-id a version ends up with (later versions may rename the CPU)."""
    model_id = model.definition.model_id
    for v in model.definition.versions:
        if v.number > version:
            break
        model_id = str(v.props.get("model-id", model_id))
    return model_id


def cpu_description(oc: ObjectClass) -> str:
    described: str | None = oc.fields.get("model_description")
    if described is not None:
        return described
    model: CPUModel | None = oc.fields.get("model")
    if model is None:
        return ""
    if model.is_alias:
        if model.version == CPU_VERSION_AUTO:
            return "(alias configured by machine type)"
        return f"(alias of {model.definition.name}-v{model.version})"
    note = next((v.note for v in model.definition.versions if v.number == model.version), None)
    text = version_model_id(model, model.version) + (f" [{note}]" if note else "")
    if oc.fields.get("deprecation_note"):
        text += " (deprecated)"
    return text


def _order(a: ObjectClass, b: ObjectClass) -> int:
    oa: int = a.fields.get("ordering", 0)
    ob: int = b.fields.get("ordering", 0)
    if oa != ob:
        return oa - ob
    na, nb = model_name(a.name), model_name(b.name)
    return (na > nb) - (na < nb)


def flag_lines(names: list[str]) -> list[str]:
    """QEMU's listflags: a running count of name lengths plus one; a name that would bring it
    to 75 or more starts a new line; a line starts with two spaces, names are one apart."""
    lines: list[str] = []
    line, length = "", 0
    for name in names:
        if length + len(name) + 1 >= 75:
            lines.append(line)
            line, length = "", 0
        line += ("  " if length == 0 else " ") + name
        length += len(name) + 1
    lines.append(line)
    return lines


def x86_cpu_class_get_model_id(q: QemuInit, oc: ObjectClass) -> None:
    """QEMU reads every listed model's ``model-id`` from a throw-away instance, so listing
    runs each CPU type's instance hooks (the description itself comes from the class)."""
    with block("x86_cpu_list_entry: instantiate the model to read its model-id", "target/i386/cpu.c"):
        q.types.object_new_with_class(oc)


@traced("target/i386/cpu.c", args=lambda q: {})
def x86_cpu_list(q: QemuInit) -> None:
    """Print the CPU models and the recognised CPUID flag names."""
    classes = q.types.object_class_get_list("x86_64-cpu", False)
    out = ["Available CPUs:"]
    for oc in sorted(classes, key=functools.cmp_to_key(_order)):
        x86_cpu_class_get_model_id(q, oc)
        out.append(f"x86 {model_name(oc.name):<20}  {cpu_description(oc)}")
    out += ["", "Recognized CPUID flags:"]
    out += flag_lines(sorted(load_json("x86_feature_words.json")["help_flag_names"]))
    out.append("")
    q.console.print_out("\n".join(out) + "\n")
