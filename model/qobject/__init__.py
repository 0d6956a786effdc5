"""QEMU's qobject/ (QDict and friends): the parts whose behaviour shows in messages."""
