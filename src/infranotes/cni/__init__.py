"""CNI: the spec's types and exec protocol, host-local IPAM and the bridge plugin."""
