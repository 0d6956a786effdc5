"""Harvesting facts from the real ``qemu-system-x86_64`` 7.2 over QMP into ``model/data``.

Run ``python -m model.harvest`` to regenerate every data file; each file records the QEMU
version it came from. The data are facts (type names, parents, machine names, texts); the
model's behaviour is our own code.
"""
