"""qdev: the ``device`` type's hooks, global properties and realize (``hw/core/qdev.c``).

Global properties are how ``-cpu Model,feat=on`` and ``-global`` reach a device: they are
registered while options are parsed and applied to every matching object in
``device_post_init``, after the class's own defaults and the instance_init hooks have run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from model.errors import QemuError
from model.qom.object import Object, ObjectClass, TypeRegistry, object_property_parse
from model.qom.properties import ObjectProperty
from tracer.recorder import point, traced

SRC_QDEV = "hw/core/qdev.c"
SRC_PROPS = "hw/core/qdev-properties.c"
SRC_GLOBAL = "qom/object.c"


@dataclass
class GlobalProperty:
    """``driver.property=value``: applied to every object that is a ``driver``."""

    driver: str
    property: str
    value: str
    used: bool = False
    optional: bool = False


@dataclass
class GlobalProperties:
    """The three global property lists QEMU keeps: accelerator, machine compat, and user globals."""

    accel_compat: list[GlobalProperty] = field(default_factory=list)
    machine_compat: list[GlobalProperty] = field(default_factory=list)
    # Slot 2 of the compat properties: globals desugared from legacy options (-no-hpet...).
    sugar: list[GlobalProperty] = field(default_factory=list)
    user: list[GlobalProperty] = field(default_factory=list)

    @traced(SRC_PROPS, name="qdev_prop_register_global",
            args=lambda self, prop: {"global": f"{prop.driver}.{prop.property}={prop.value}", "driver": prop.driver})
    def register(self, prop: GlobalProperty) -> None:
        """Append a user global (``-global``, ``-cpu`` feature strings); checked only when applied."""
        self.user.append(prop)


def _global_args(obj: Object, props: list[GlobalProperty], origin: str) -> dict[str, Any]:
    return {"type": obj.typename, "list": origin, "count": len(props)}


@traced(SRC_GLOBAL, args=_global_args)
def object_apply_global_props(obj: Object, props: list[GlobalProperty], origin: str) -> None:
    """Apply each global whose driver the object is, in registration order; an error is fatal.

    The error names the global as the user wrote it: ``can't apply global DRIVER.PROP=VALUE:``
    followed by the property's own complaint. ``origin`` (``compat``, ``global``...) tells the
    object's property setters where a value came from, for the provenance of CPU features.
    """
    for prop in props:
        if not obj.klass.is_a(prop.driver):
            continue
        if prop.optional and obj.find_property(prop.property) is None:
            continue
        prop.used = True
        text = f"{prop.driver}.{prop.property}={prop.value}"
        obj.state["origin"] = (origin, text)
        try:
            point("apply_global", text, property=prop.property, value=prop.value, origin=origin)
            object_property_parse(obj, prop.property, prop.value)
            obj.globals_applied.append(prop.property)
        except QemuError as err:
            raise QemuError(f"can't apply global {text}: {err.message}") from None
        finally:
            obj.state.pop("origin", None)


# ---- the ``device`` type's hooks ------------------------------------------------------------

@traced(SRC_QDEV, args=lambda oc, data: {"type": oc.name})
def device_class_base_init(oc: ObjectClass, data: Any) -> None:
    """Reset the qdev property list every device class inherits, before its class_init runs."""
    oc.fields["props"] = []


@traced(SRC_QDEV, args=lambda oc, data: {"type": oc.name})
def device_class_init(oc: ObjectClass, data: Any) -> None:
    """Devices are hotpluggable and user-creatable by default and have ``realized``/``hotplugged``."""
    oc.fields["hotpluggable"] = True
    oc.fields["user_creatable"] = True
    oc.fields["realize"] = None
    for name in ("realized", "hotpluggable", "hotplugged"):  # only realized has a setter
        oc.properties[name] = ObjectProperty(name, "bool", readonly=name != "realized")
    oc.properties["parent_bus"] = ObjectProperty("parent_bus", "link<bus>")


@traced(SRC_QDEV, args=lambda obj: {"type": obj.typename})
def device_initfn(obj: Object) -> None:
    """A new device is not realized yet; its qdev properties get their defaults."""
    obj.state["realized"] = False
    obj.state["hotplugged"] = False


@traced(SRC_GLOBAL, args=lambda obj, globals_: {"type": obj.typename})
def object_apply_compat_props(obj: Object, globals_: GlobalProperties) -> None:
    """The compat properties, in three slots applied in order so later ones win: the
    accelerator's, the machine type's, then those desugared from legacy options."""
    object_apply_global_props(obj, globals_.accel_compat, "accel-compat")
    object_apply_global_props(obj, globals_.machine_compat, "compat")
    object_apply_global_props(obj, globals_.sugar, "sugar")


@traced(SRC_PROPS, args=lambda obj, globals_: {"type": obj.typename})
def qdev_prop_set_globals(obj: Object, globals_: GlobalProperties) -> None:
    """The user's globals (``-global``, ``-cpu`` feature strings), after the compat ones."""
    object_apply_global_props(obj, globals_.user, "global")


def make_device_post_init(globals_: GlobalProperties) -> Callable[[Object], None]:
    """``device_post_init`` bound to this run's global property lists."""

    @traced(SRC_QDEV, name="device_post_init", args=lambda obj: {"type": obj.typename})
    def device_post_init(obj: Object) -> None:
        """After every instance_init: compat properties (accelerator, machine, legacy options),
        then the user's global properties."""
        object_apply_compat_props(obj, globals_)
        qdev_prop_set_globals(obj, globals_)

    return device_post_init


@traced(SRC_QDEV, args=lambda types, name: {"type": name}, ret=lambda dev: dev.typename)
def qdev_new(types: TypeRegistry, name: str) -> Object:
    """Create a device by type name (the class is looked up first, so a module providing it
    could be loaded); it is not realized yet."""
    types.module_object_class_by_name(name)
    return types.object_new(name)


@traced(SRC_QDEV, args=lambda dev: {"type": dev.typename})
def qdev_realize(dev: Object) -> None:
    """Set ``realized``: run the class's realize function (for a CPU, the whole CPUID set-up)."""
    realize: Callable[[Object], None] | None = dev.klass.fields.get("realize")
    if realize is not None:
        realize(dev)
    dev.state["realized"] = True
