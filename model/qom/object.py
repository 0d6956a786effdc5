"""QOM's type registry and object life cycle, modelled on ``qom/object.c`` in QEMU 7.2.

The algorithms are QEMU's: ``type_initialize`` initialises the parent first, starts the class
as a copy of the parent's, recreates the parent's interfaces then adds the type's own, runs
every ancestor's ``class_base_init`` from the immediate parent up to the root, then the type's
``class_init``. ``object_new`` runs ``instance_init`` root first and ``instance_post_init``
leaf first. Each step is a traced call so a reader can follow the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from model.errors import QemuError
from model.qom.class_state import ClassFields, note_property_set, run_class_hook
from model.qom.properties import ObjectProperty
from model.softmmu.memory_region import MemoryRegion
from tracer.recorder import TRACED_NAME, point, run_hook, traced

SRC = "qom/object.c"

ClassHook = Callable[["ObjectClass", Any], None]
InstanceHook = Callable[["Object"], None]


@dataclass(frozen=True)
class TypeInfo:
    """What a ``type_init`` constructor passes to ``type_register`` (QEMU's ``TypeInfo``)."""

    name: str
    parent: str | None
    abstract: bool = False
    interfaces: tuple[str, ...] = ()
    class_init: ClassHook | None = None
    class_base_init: ClassHook | None = None
    instance_init: InstanceHook | None = None
    instance_post_init: InstanceHook | None = None
    class_data: Any = None

    def hook_names(self) -> dict[str, str]:
        """Each hook this TypeInfo sets, by kind, as the name its trace events carry."""
        hooks = {"class_init": self.class_init, "class_base_init": self.class_base_init,
                 "instance_init": self.instance_init, "instance_post_init": self.instance_post_init}
        return {kind: hook_name(fn) for kind, fn in hooks.items() if fn is not None}


@dataclass(eq=False)
class TypeImpl:
    """A registered type; ``klass`` is None until ``type_initialize`` has run."""

    info: TypeInfo
    registry: TypeRegistry
    klass: ObjectClass | None = None

    @property
    def name(self) -> str:
        return self.info.name


@dataclass(eq=False)
class ObjectClass:
    """A class: ``fields`` is the class struct (copied from the parent, then set by class_init).

    ``properties`` holds only the properties this class added; lookups walk up the parents,
    as QEMU does, because class properties are not copied.
    """

    type: TypeImpl
    fields: dict[str, Any] = field(default_factory=ClassFields)
    properties: dict[str, ObjectProperty] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    parent: ObjectClass | None = None

    @property
    def name(self) -> str:
        return self.type.info.name  # not through TypeImpl.name: read on every traced hook call

    def ancestry(self) -> Iterator[ObjectClass]:
        """This class, then its parent, ... up to ``object``."""
        oc: ObjectClass | None = self
        while oc is not None:
            yield oc
            oc = oc.parent

    def is_a(self, typename: str) -> bool:
        """``object_class_dynamic_cast``: the type or an ancestor is ``typename``, or implements it."""
        return any(oc.name == typename or typename in oc.interfaces for oc in self.ancestry())

    def find_property(self, name: str) -> ObjectProperty | None:
        for oc in self.ancestry():
            prop = oc.properties.get(name)
            if prop is not None:
                return prop
        return None


@dataclass(eq=False)
class Object:
    """An instance: its class, its own properties and the state its hooks keep."""

    klass: ObjectClass
    properties: dict[str, ObjectProperty] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    # Children in the composition tree, by name: containers, and objects embedded with
    # object_initialize_child (i8042's PS/2 devices, q35's MCH).
    children: dict[str, Object] = field(default_factory=dict)
    # irqs allocated so far for its gpio inputs (qdev_init_gpio_in, in instance_init or realize).
    gpio_irqs: int = 0
    # The memory regions embedded in it, in the order they were initialised.
    regions: list[MemoryRegion] = field(default_factory=list)
    # Properties global property lists set on it (compat, -global), in the order applied: on
    # a virtio proxy they are aliases, which reach its device.
    globals_applied: list[str] = field(default_factory=list)

    def region(self, name: str) -> MemoryRegion:
        """Its first region called ``name``."""
        return next(r for r in self.regions if r.name == name)

    @property
    def registry(self) -> TypeRegistry:
        """The type table this object's type is registered in (QEMU's is a global)."""
        return self.klass.type.registry

    @property
    def typename(self) -> str:
        return self.klass.name

    def find_property(self, name: str) -> ObjectProperty | None:
        return self.properties.get(name) or self.klass.find_property(name)


def hook_name(fn: Callable[..., Any]) -> str:
    """The function name a traced hook records (``@traced(name=...)`` or its own)."""
    return str(getattr(fn, TRACED_NAME, None) or getattr(fn, "__name__", "?"))


def _class_name(value: ObjectClass | None) -> str | None:
    return value.name if value is not None else None


class TypeRegistry:
    """QEMU's global type hash table and the functions that work on it."""

    def __init__(self) -> None:
        self.types: dict[str, TypeImpl] = {}
        # Where each name falls in a walk over GLib's hash table (the order is GLib's, not
        # QEMU's: it follows the hashes of the names and the table's size). Types without a
        # rank (none at start-up) are walked after the others, in registration order.
        self.walk_rank: dict[str, int] = {}
        # The post-init hooks bound to this run, for types registered after start-up.
        self.late_hooks: Any = None
        # module_load_qom for this run: registers the types of the module providing a name.
        self.module_loader: Callable[[str], bool] | None = None
        self.root: Object | None = None

    # -- registration -----------------------------------------------------------------------
    def type_register(self, info: TypeInfo) -> TypeImpl:
        """Add a type to the table; a duplicate name is a programming error (QEMU aborts)."""
        if info.name in self.types:
            raise QemuError(f"Registering `{info.name}' which already exists")
        impl = TypeImpl(info, self)
        self.types[info.name] = impl
        point("type_register", None, type=info.name, parent=info.parent)
        return impl

    def type_get_by_name(self, name: str | None) -> TypeImpl | None:
        """Exact lookup; NULL-safe like QEMU's."""
        if name is None:
            return None
        return self.types.get(name)

    def type_get_parent(self, impl: TypeImpl) -> TypeImpl | None:
        if impl.info.parent is None:
            return None
        parent = self.types.get(impl.info.parent)
        if parent is None:
            raise QemuError(f"Type '{impl.name}' is missing its parent '{impl.info.parent}'")
        return parent

    # -- class initialisation ---------------------------------------------------------------
    def type_initialize(self, impl: TypeImpl) -> None:
        """QEMU's type_initialize returns at once when the class exists; only the calls that
        create a class are traced, so the trace shows each type initialised exactly once."""
        if impl.klass is None:
            self._type_initialize(impl)

    @traced(SRC, name="type_initialize", args=lambda self, impl: {"type": impl.info.name})
    def _type_initialize(self, impl: TypeImpl) -> None:
        """Create a type's class on first use: parent first, then copy, interfaces, base inits, class_init.

        Nothing happens if the class already exists, which is why the order in which types
        are first looked up decides the order in which their class_init functions run.
        """
        parent = self.type_get_parent(impl)
        klass = ObjectClass(type=impl)
        if parent is not None:
            self.type_initialize(parent)
            assert parent.klass is not None
            klass.parent = parent.klass
            klass.fields = ClassFields(parent.klass.fields)
            for iface in parent.klass.interfaces:
                self.type_initialize_interface(impl, iface)
                klass.interfaces.append(iface)
            for iface in impl.info.interfaces:
                if not any(iface in oc.interfaces for oc in parent.klass.ancestry()):
                    self.type_initialize_interface(impl, iface)
                    klass.interfaces.append(iface)
        impl.klass = klass
        ancestor = parent
        while ancestor is not None:
            if ancestor.info.class_base_init is not None:
                run_class_hook("class_base_init", ancestor.info.class_base_init, klass, impl.info.class_data)
            ancestor = self.type_get_parent(ancestor)
        if impl.info.class_init is not None:
            run_class_hook("class_init", impl.info.class_init, klass, impl.info.class_data)

    @traced(SRC, args=lambda self, impl, iface: {"type": impl.info.name, "iface": iface})
    def type_initialize_interface(self, impl: TypeImpl, iface: str) -> None:
        """Give a class its own instance of an interface class (an unregistered ``type::iface`` type)."""
        iface_impl = self.types.get(iface)
        if iface_impl is not None:
            self.type_initialize(iface_impl)

    @traced(SRC, args=lambda self, name: {"type": name}, ret=_class_name)
    def object_class_by_name(self, name: str | None) -> ObjectClass | None:
        """Look a class up by type name, initialising it on first use; NULL if unknown."""
        impl = self.type_get_by_name(name)
        if impl is None:
            return None
        self.type_initialize(impl)
        return impl.klass

    @traced(SRC, args=lambda self, implements, include_abstract, fn: {
        "implements": implements, "include_abstract": include_abstract})
    def object_class_foreach(self, implements: str | None, include_abstract: bool,
                             fn: Callable[[ObjectClass], None]) -> None:
        """Visit every class implementing ``implements``, initialising *every* type on the way.

        QEMU walks its whole type hash table and calls ``type_initialize`` on each entry
        before testing it, so listing machines or CPUs runs every type's class_init. The walk
        follows the hash table's order, not the registration order.
        """
        for impl in self.walk_order():
            self.type_initialize(impl)
            assert impl.klass is not None
            if implements is not None and not impl.klass.is_a(implements):
                continue
            if impl.info.abstract and not include_abstract:
                continue
            fn(impl.klass)

    def module_object_class_by_name(self, name: str) -> ObjectClass | None:
        """``module_object_class_by_name``: the class, loading the module that provides the
        type first when it is not registered (``qdev_new``, ``-device`` and the accelerator
        lookups do this; plain ``object_class_by_name`` never loads anything)."""
        oc = self.object_class_by_name(name)
        if oc is None and self.module_loader is not None and self.module_loader(name):
            oc = self.object_class_by_name(name)  # looked up again only if a module loaded
        return oc

    def walk_order(self) -> list[TypeImpl]:
        """The registered types in the order ``g_hash_table_foreach`` visits them."""
        unranked = len(self.walk_rank)
        ranked = sorted(enumerate(self.types.values()),
                        key=lambda item: (self.walk_rank.get(item[1].name, unranked), item[0]))
        return [impl for _, impl in ranked]

    @traced(SRC, args=lambda self, implements, include_abstract: {
        "implements": implements, "include_abstract": include_abstract},
        ret=lambda classes: len(classes))
    def object_class_get_list(self, implements: str | None, include_abstract: bool) -> list[ObjectClass]:
        """The classes ``object_class_foreach`` visits; QEMU prepends each one, so the list is
        the walk reversed. (The binary inlines ``object_class_foreach`` here: its own entry is
        not seen.)"""
        found: list[ObjectClass] = []
        self.object_class_foreach(implements, include_abstract, found.append)
        found.reverse()
        return found

    # -- objects ------------------------------------------------------------------------------
    @traced(SRC, args=lambda self, name: {"type": name}, ret=lambda obj: obj.typename)
    def object_new(self, name: str) -> Object:
        """Create an object of a (non-abstract) type: initialise its class, then the instance."""
        impl = self.type_get_by_name(name)
        if impl is None:
            raise QemuError(f"unknown type '{name}'")
        return self.object_new_with_type(impl)

    def object_new_with_type(self, impl: TypeImpl) -> Object:
        self.type_initialize(impl)
        assert impl.klass is not None
        if impl.info.abstract:
            raise QemuError(f"cannot instantiate abstract type '{impl.name}'")
        obj = Object(klass=impl.klass)
        self.object_initialize_with_type(obj, impl)
        return obj

    def object_initialize(self, name: str) -> Object:
        """Initialise an object embedded in another (``object_initialize``): no allocation of
        its own, so no ``object_new``, but the same class set-up and instance hooks. QEMU does
        this for memory regions and for buses like the main system bus. A type no module has
        registered yet has its module loaded first (``type_get_or_load_by_name``): a
        ``virtio-vga`` embeds a ``virtio-gpu-device`` from a module of its own."""
        impl = self.type_get_by_name(name)
        if impl is None and self.module_loader is not None and self.module_loader(name):
            impl = self.type_get_by_name(name)
        if impl is None:
            raise QemuError(f"unknown type '{name}'")
        return self.object_new_with_type(impl)

    def object_get_root(self) -> Object:
        """The root of the composition tree, a container made on first use. (QEMU's
        ``object_new`` is inlined here in the binary, so no ``object_new`` call is seen.)"""
        if self.root is None:
            impl = self.type_get_by_name("container")
            assert impl is not None
            self.root = self.object_new_with_type(impl)
        return self.root

    def object_get_objects_root(self) -> Object:
        """``object_get_objects_root``: ``/objects``, where ``-object`` puts what it creates."""
        return self.container_get(self.object_get_root(), "/objects")

    def container_get(self, root: Object, path: str) -> Object:
        """``container_get``: the container at ``path`` under ``root``, created with
        ``object_new("container")`` for each missing component."""
        node = root
        for part in (p for p in path.split("/") if p):
            child = node.children.get(part)
            if child is None:
                child = self.object_new("container")
                node.children[part] = child
            node = child
        return node

    @traced(SRC, args=lambda self, oc: {"type": oc.name}, ret=lambda obj: obj.typename)
    def object_new_with_class(self, oc: ObjectClass) -> Object:
        """``object_new`` for a class already in hand (how the machine is created)."""
        return self.object_new_with_type(oc.type)

    @traced(SRC, args=lambda self, obj, impl: {"type": impl.name})
    def object_initialize_with_type(self, obj: Object, impl: TypeImpl) -> None:
        """Instance set-up: class property defaults, then instance_init root first, post_init leaf first."""
        self.object_init_with_type(obj, impl)
        self.object_post_init_with_type(obj, impl)

    @traced(SRC, args=lambda self, obj, impl: {"type": impl.name})
    def object_init_with_type(self, obj: Object, impl: TypeImpl) -> None:
        """Run the parent's instance initialisation first, then this type's ``instance_init``."""
        parent = self.type_get_parent(impl)
        if parent is not None:
            self.object_init_with_type(obj, parent)
        if impl.info.instance_init is not None:
            run_hook("instance_init", impl.info.instance_init, obj)

    @traced(SRC, args=lambda self, obj, impl: {"type": impl.name})
    def object_post_init_with_type(self, obj: Object, impl: TypeImpl) -> None:
        """Run this type's ``instance_post_init`` first, then the parent's (leaf to root)."""
        if impl.info.instance_post_init is not None:
            run_hook("instance_post_init", impl.info.instance_post_init, obj)
        parent = self.type_get_parent(impl)
        if parent is not None:
            self.object_post_init_with_type(obj, parent)


def object_property_parse(obj: Object, name: str, text: str) -> None:
    """Set a property from its textual form, with QEMU's errors for unknown names and bad values."""
    prop = obj.find_property(name)
    if prop is None:
        raise QemuError(f"Property '{obj.typename}.{name}' not found")
    if prop.readonly:
        raise QemuError(f"Property '{obj.typename}.{name}' is not writable")
    value = prop.parse(text)
    if prop.setter is not None:
        prop.setter(obj, value)
    else:
        obj.state[name] = value
    note_property_set(obj.typename, name, value, obj.state.get("origin"))


def object_property_set(obj: Object, name: str, value: Any) -> None:
    """Set a property from a typed value (``object_property_set_bool`` and friends)."""
    prop = obj.find_property(name)
    if prop is None:
        raise QemuError(f"Property '{obj.typename}.{name}' not found")
    if prop.setter is not None:
        prop.setter(obj, value)
    else:
        obj.state[name] = value
    note_property_set(obj.typename, name, value, obj.state.get("origin"))


def object_property_get(obj: Object, name: str) -> Any:
    prop = obj.find_property(name)
    if prop is None:
        raise QemuError(f"Property '{obj.typename}.{name}' not found")
    if prop.getter is not None:
        return prop.getter(obj)
    return obj.state.get(name)


@traced(SRC, args=lambda parent, name, typename, class_ready=None: {
    "parent": parent.typename, "name": name, "type": typename})
def object_initialize_child_internal(parent: Object, name: str, typename: str,
                                     class_ready: Callable[[ObjectClass], None] | None = None) -> Object:
    """``object_initialize_child``: embed an object with no properties to set at creation."""
    return object_initialize_child_with_props(parent, name, typename, class_ready)


@traced(SRC, args=lambda parent, name, typename, class_ready=None: {
    "parent": parent.typename, "name": name, "type": typename})
def object_initialize_child_with_props(parent: Object, name: str, typename: str,
                                       class_ready: Callable[[ObjectClass], None] | None = None) -> Object:
    """Initialise an object embedded in ``parent``'s state (no ``object_new``; its hooks and,
    for a device, its post-init property steps run now) and make it ``parent``'s child
    ``name`` in the composition tree. ``class_ready`` completes the class first (the model
    gives device classes their qdev properties on first use)."""
    impl = parent.registry.type_get_by_name(typename)
    if impl is not None and class_ready is not None:
        parent.registry.type_initialize(impl)
        assert impl.klass is not None
        class_ready(impl.klass)
    child = parent.registry.object_initialize(typename)
    parent.children[name] = child
    return child
