"""hw/core: qdev devices and buses, the composition tree, and the facts harvested about devices."""
