"""The JSON Schema of the ``vmtrace diff --json`` document (format ``vmtrace-diff``, version 1).

Kept as code next to :meth:`tracer.diff.TraceDiff.to_json` so the two change together; the
tests validate real diff documents against it. Consumers can print it with
``python -c "import json, tracer.diff.schema as s; print(json.dumps(s.DIFF_SCHEMA, indent=2))"``.
"""

from __future__ import annotations

from typing import Any

_SEQ = {"type": ["integer", "null"], "minimum": 0}
_STR_LIST = {"type": "array", "items": {"type": "string"}}
_CHANGE = {
    "type": ["object", "null"],
    "required": ["name", "a", "b"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string"}, "a": {}, "b": {}},
}
_SIDES = {
    "type": "object",
    "required": ["only_a", "only_b"],
    "additionalProperties": False,
    "properties": {"only_a": _STR_LIST, "only_b": _STR_LIST},
}
_INIT = {"type": "object", "required": ["fn", "type"], "additionalProperties": False,
         "properties": {"fn": {"type": "string"}, "type": {"type": ["string", "null"]}}}
_INITS = {
    "type": "object",
    "required": ["only_a", "only_b"],
    "additionalProperties": False,
    "properties": {"only_a": {"type": "array", "items": _INIT}, "only_b": {"type": "array", "items": _INIT}},
}
_DIFFERENCE = {
    "type": "object",
    "required": ["row", "status", "a", "b", "depth", "path", "a_label", "b_label"],
    "additionalProperties": False,
    "properties": {
        "row": {"type": "integer", "minimum": 0},
        "status": {"enum": ["changed", "only_a", "only_b"]},
        "a": _SEQ,
        "b": _SEQ,
        "depth": {"type": "integer", "minimum": 0},
        "path": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "a_label": {"type": ["string", "null"]},
        "b_label": {"type": ["string", "null"]},
        "changes": {"type": "array", "items": {
            "type": "object", "required": ["field", "a", "b"], "additionalProperties": False,
            "properties": {"field": {"type": "string"}, "a": {}, "b": {}}}},
        "subtree": {"type": "integer", "minimum": 1},
    },
    "oneOf": [
        {"properties": {"status": {"const": "changed"}}, "required": ["changes"]},
        {"properties": {"status": {"enum": ["only_a", "only_b"]}}, "required": ["subtree"]},
    ],
}
_SIDE = {
    "type": "object",
    "required": ["label", "argv", "events", "qemu_version", "host_profile"],
    "additionalProperties": False,
    "properties": {"label": {"type": "string"}, "argv": _STR_LIST, "events": {"type": "integer", "minimum": 0},
                   "qemu_version": {"type": "string"}, "host_profile": {"type": ["string", "null"]}},
}
_BIT = {
    "type": "object",
    "required": ["leaf", "subleaf", "register", "bit", "name", "a", "b"],
    "additionalProperties": False,
    "properties": {
        "leaf": {"type": "integer", "minimum": 0},
        "subleaf": {"type": ["integer", "null"]},
        "register": {"enum": ["EAX", "EBX", "ECX", "EDX"]},
        "bit": {"type": "integer", "minimum": 0, "maximum": 31},
        "name": {"type": ["string", "null"]},
        "a": {"type": "boolean"},
        "b": {"type": "boolean"},
    },
}
_COUNTS = {
    "type": "object",
    "required": ["same", "changed", "only_a", "only_b"],
    "additionalProperties": False,
    "properties": {k: {"type": "integer", "minimum": 0} for k in ("same", "changed", "only_a", "only_b")},
}

_OPT_STR = {"type": ["string", "null"]}
_PATH_TYPE = {"type": "object", "required": ["path", "type"], "additionalProperties": False,
              "properties": {"path": {"type": "string"}, "type": {"type": "string"}}}
_DEVICES = {
    "type": "object",
    "required": ["available", "equal", "only_a", "only_b", "retyped", "pci", "properties"],
    "additionalProperties": False,
    "properties": {
        "available": {"type": "boolean"},
        "equal": {"type": "boolean"},
        "only_a": {"type": "array", "items": _PATH_TYPE},
        "only_b": {"type": "array", "items": _PATH_TYPE},
        "retyped": {"type": "array", "items": {
            "type": "object", "required": ["path", "a", "b"], "additionalProperties": False,
            "properties": {"path": {"type": "string"}, "a": {"type": "string"}, "b": {"type": "string"}}}},
        "pci": {"type": "array", "items": {
            "type": "object", "required": ["address", "a", "b"], "additionalProperties": False,
            "properties": {"address": {"type": "string"}, "a": _OPT_STR, "b": _OPT_STR}}},
        "properties": {"type": "array", "items": {
            "type": "object", "required": ["device", "property", "a", "b"], "additionalProperties": False,
            "properties": {"device": {"type": "string"}, "property": {"type": "string"}, "a": _OPT_STR,
                           "b": _OPT_STR}}},
    },
}

DIFF_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "vmtrace diff --json",
    "type": "object",
    "required": ["format", "version", "equal", "a", "b", "structural", "semantic", "devices"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": "vmtrace-diff"},
        "version": {"const": 1},
        "equal": {"type": "boolean"},
        "a": _SIDE,
        "b": _SIDE,
        "structural": {
            "type": "object",
            "required": ["equal", "counts", "first_divergence", "differences"],
            "additionalProperties": False,
            "properties": {
                "equal": {"type": "boolean"},
                "counts": _COUNTS,
                "first_divergence": {"oneOf": [{"type": "null"}, _DIFFERENCE]},
                "differences": {"type": "array", "items": _DIFFERENCE},
            },
        },
        "semantic": {
            "type": "object",
            "required": ["equal", "machine", "cpu_realized", "cpu_type", "ancestry", "machine_ancestry",
                         "class_init", "instance_init", "features", "properties", "cpuid", "filtered_features",
                         "warnings", "errors", "stderr", "stdout", "exit_status"],
            "additionalProperties": False,
            "properties": {
                "equal": {"type": "boolean"},
                "machine": _CHANGE,
                "cpu_realized": _CHANGE,
                "cpu_type": _CHANGE,
                "exit_status": _CHANGE,
                "ancestry": {"type": "object", "required": ["a", "b"], "additionalProperties": False,
                             "properties": {"a": _STR_LIST, "b": _STR_LIST}},
                "machine_ancestry": {"type": "object", "required": ["a", "b"], "additionalProperties": False,
                                     "properties": {"a": _STR_LIST, "b": _STR_LIST}},
                "class_init": _INITS,
                "instance_init": _INITS,
                "features": {"type": "object", "required": ["added", "removed"], "additionalProperties": False,
                             "properties": {"added": _STR_LIST, "removed": _STR_LIST}},
                "properties": {"type": "array", "items": _CHANGE},
                "cpuid": {"type": "array", "items": _BIT},
                "filtered_features": _SIDES,
                "warnings": _SIDES,
                "errors": _SIDES,
                "stderr": _SIDES,
                "stdout": _SIDES,
            },
        },
        "devices": _DEVICES,
    },
}
