"""``-object``: user-creatable objects (softmmu/vl.c ``object_option_parse``,
qom/object_interfaces.c ``user_creatable_add_qapi``).

Read when the option is parsed: the ``key=value`` form is a QemuOpts entry (implied key
``qom-type``; the id must be an identifier and unique) visited by the opts visitor, JSON by
the QObject visitor; either way ``qom-type`` must name a user-creatable type, ``id`` is
mandatory and the type's members are checked (memory backends' are modelled, see
:mod:`model.backends.hostmem`). Objects are created later, under ``/objects/ID``: memory
backends after the accelerator (``object_create_late``), every other type earlier, with no
effect the model follows beyond its place in ``/objects``.
"""

from __future__ import annotations

import functools

from model.backends.hostmem import MemoryBackend, check_members, host_memory_backend_set_size, is_memory_backend
from model.data_files import load_json
from model.errors import QemuError
from model.softmmu.block import json_object
from model.softmmu.option_state import ObjectOption
from model.softmmu.qemu_opts_check import check_id_wellformed, parse_list, qemu_opts_check_id
from model.softmmu.region_init import memory_region_init_ram_flags_nomigrate
from model.state import QemuInit
from tracer.recorder import point, traced


@functools.cache
def user_creatable_types() -> frozenset[str]:
    """``ObjectType``'s values as the binary has them: every concrete type implementing
    ``user-creatable`` (from the harvested type list)."""
    types = load_json("qom_types.json")["types"]
    by_name = {t["name"]: t for t in types}

    def creatable(name: str | None) -> bool:
        while name is not None and name in by_name:
            if "user-creatable" in (by_name[name].get("interfaces") or []):
                return True
            name = by_name[name].get("parent")
        return False

    return frozenset(t["name"] for t in types if not t.get("abstract") and creatable(t["name"]))


def object_option_parse(q: QemuInit, arg: str, location: str) -> None:
    """Parse and visit one ``-object`` (errors are located at the option)."""
    from_json = arg.startswith("{")
    if from_json:
        props: dict[str, object] = dict(json_object(arg))
    else:
        items = parse_list(q, "object", arg, "qom-type", accepts_any=True)
        qemu_opts_check_id("object", items.get("id"), (o.id for o in q.objects if not o.from_json))
        props = dict(items)
        if "qom-type" not in props:
            raise QemuError("Parameter 'qom-type' is missing")
        if "help" in props or "?" in props or props.get("qom-type") in ("help", "?"):
            point("object_help", "-object help lists the types, -object TYPE,help a type's properties "
                  "(the lists are not modelled)",
                  type=str(props["qom-type"]))
            raise q.exit(0)
    typename = props.pop("qom-type", None)
    if typename is None:
        raise QemuError("Parameter 'qom-type' is missing")
    if not isinstance(typename, str):
        raise QemuError("Invalid parameter type for 'qom-type', expected: string")
    if typename not in user_creatable_types():
        raise QemuError(f"Parameter 'qom-type' does not accept value '{typename}'")
    object_id = props.pop("id", None)
    if object_id is None:
        raise QemuError("Parameter 'id' is missing")
    if not isinstance(object_id, str):
        raise QemuError("Invalid parameter type for 'id', expected: string")
    size = check_members(typename, props, from_json) if is_memory_backend(typename) else 0
    q.objects.append(ObjectOption(typename, object_id, props, location, from_json, size))


def object_create_early(typename: str) -> bool:
    """Memory backends wait for the accelerator (``tcg_enabled()`` checks in the memory API)."""
    return not is_memory_backend(typename)


def create_objects(q: QemuInit, early: bool) -> None:
    """``object_option_foreach_add``: the objects of this phase, in command-line order."""
    for opt in q.objects:
        if object_create_early(opt.typename) == early:
            user_creatable_add_qapi(q, opt)


@traced("qom/object_interfaces.c", args=lambda q, opt: {"type": opt.typename, "id": opt.id})
def user_creatable_add_qapi(q: QemuInit, opt: ObjectOption) -> None:
    """Create the object under ``/objects/ID`` and complete it (a memory backend checks its
    size). Errors are fatal with no location: creation runs after the options are read."""
    q.console.location = None
    try:
        if opt.from_json:  # the QemuOpts form checked it when read
            check_id_wellformed(opt.id)
        objects = q.types.object_get_objects_root()
        if opt.id in objects.children:
            raise QemuError(f"attempt to add duplicate property '{opt.id}' to object (type 'container')")
        obj = q.types.object_new(opt.typename)
        objects.children[opt.id] = obj
        if is_memory_backend(opt.typename):
            host_memory_backend_set_size(opt.typename, opt.size)
            # host_memory_backend_memory_complete: the RAM, a region named after the id
            region = memory_region_init_ram_flags_nomigrate(q.types, opt.typename, opt.id, opt.size)
            q.memory_backends[opt.id] = MemoryBackend(opt.typename, opt.id, opt.size, region)
        else:
            point("object_not_modelled", f"{opt.typename} '{opt.id}': created; what it does is not modelled",
                  type=opt.typename, id=opt.id)
    except QemuError as err:
        raise q.console.fatal(err) from None

