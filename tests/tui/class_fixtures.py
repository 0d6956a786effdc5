"""A miniature ``-accel kvm -cpu host,+avx512f`` trace with the class-state events the model
records (``class_field_set``, ``class_properties_added``, ``property_set``): every class is
initialised under ``select_machine``, so the lookup under ``parse_cpu_option`` finds it made.
"""

from __future__ import annotations

from typing import Any

from tui_fixtures import TraceBuilder, make_trace

from tracer.trace import Trace

CPU = "host-x86_64-cpu"


def field(b: TraceBuilder, owner: str, name: str, value: Any, by: str, call: int, hook: str = "class_init",
          **extra: Any) -> None:
    b.point("class_field_set", f"{owner}: {name} = {value} (by {by})", type=owner, field=name, value=value,
            by=by, hook=hook, call=call, **extra)


def class_trace() -> Trace:
    b = TraceBuilder()
    with b.call("main", ret=0):
        with b.call("qemu_init"):
            for name, parent in (("object", None), ("device", "object"), ("cpu", "device"),
                                 ("x86_64-cpu", "cpu"), ("max-x86_64-cpu", "x86_64-cpu"), (CPU, "max-x86_64-cpu")):
                b.point("type_register", type=name, parent=parent)
            with b.call("select_machine", ret="pc-i440fx-7.2-machine"):
                with b.call("type_initialize", type=CPU):
                    with b.call("type_initialize", type="max-x86_64-cpu"):
                        with b.call("type_initialize", type="x86_64-cpu"):
                            with b.call("type_initialize", type="cpu"):
                                call = len(b.events)
                                b.leaf("cpu_class_init", type="cpu")
                                field(b, "cpu", "parse_features", "cpu_common_parse_features", "cpu_class_init", call)
                                field(b, "cpu", "user_creatable", False, "cpu_class_init", call)
                            call = len(b.events)
                            b.leaf("x86_cpu_common_class_init", type="x86_64-cpu")
                            field(b, "x86_64-cpu", "realize", "x86_cpu_realizefn", "x86_cpu_common_class_init",
                                  call)
                            field(b, "x86_64-cpu", "class_by_name", "x86_cpu_class_by_name",
                                  "x86_cpu_common_class_init", call)
                            field(b, "x86_64-cpu", "parse_features", "x86_cpu_parse_featurestr",
                                  "x86_cpu_common_class_init", call, overrides="cpu_common_parse_features")
                            b.point("class_properties_added", "x86_64-cpu: 3 properties added",
                                    type="x86_64-cpu", properties=["avx512f", "family", "model-id"],
                                    by="x86_cpu_common_class_init", hook="class_init", call=call)
                        call = len(b.events)
                        b.leaf("max_x86_cpu_class_init", type="max-x86_64-cpu")
                        field(b, "max-x86_64-cpu", "ordering", 9, "max_x86_cpu_class_init", call)
                    call = len(b.events)
                    b.leaf("host_cpu_class_init", type=CPU)
                    field(b, CPU, "ordering", 8, "host_cpu_class_init", call, overrides=9)
                    field(b, CPU, "host_cpuid_required", True, "host_cpu_class_init", call)
            with b.call("parse_cpu_option", ret=CPU, option="host,+avx512f"):
                with b.call("cpu_class_by_name", ret=CPU, type="x86_64-cpu", model="host"):
                    b.leaf("object_class_by_name", ret=CPU, type=CPU)
            with b.call("x86_cpu_new", type=CPU, apic_id=0):
                with b.call("object_new", ret=CPU, type=CPU):
                    with b.call("x86_cpu_load_model", type=CPU):
                        b.point("x86_feature", "fpu on: host", feature="fpu", value=True, reason="host")
                b.point("property_set", f"{CPU}.apic-id = 0", type=CPU, property="apic-id", value=0)
                with b.call("x86_cpu_expand_features", type=CPU):
                    b.point("x86_feature", "avx512f on: plus", feature="avx512f", value=True, reason="plus")
                    b.point("property_set", f"{CPU}.avx512f = true", type=CPU, property="avx512f", value=True)
    types = (("object", None, True), ("device", "object", True), ("cpu", "device", True),
             ("x86_64-cpu", "cpu", True), ("max-x86_64-cpu", "x86_64-cpu", False), (CPU, "max-x86_64-cpu", False))
    return make_trace(b.events, types=types, argv=["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host,+avx512f"],
                      cpu_type=CPU)
