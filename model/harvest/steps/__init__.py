"""Watch the real binary run under gdb and record its steps: the exported QEMU functions it
calls (with their key arguments), every QOM hook it runs (with the type that declared it and
the type it ran for) and the order it registers types, for a list of command lines.

``python -m model.harvest.steps --compare`` projects the model's traces onto the same
vocabulary and reports how far they agree.
"""
