"""Telemetry intake adapters: decoding, the file, HTTP and MQTT doors."""
