"""PCI and PCIe bridges (``hw/pci-bridge/``): each type's realize around ``pci_bridge_initfn``."""
