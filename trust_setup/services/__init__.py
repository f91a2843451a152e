"""The writes of trust setup: starting a deployment for one trust."""
