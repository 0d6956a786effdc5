"""The QOM type system (``qom/object.c``): types, classes, objects and properties."""
