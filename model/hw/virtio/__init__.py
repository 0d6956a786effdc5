"""Virtio devices and their PCI transport (``hw/virtio/``)."""
