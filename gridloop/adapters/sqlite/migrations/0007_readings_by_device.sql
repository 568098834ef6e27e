-- A device's latest readings (the device list, health views) without scanning every reading.
CREATE INDEX readings_device ON readings(device_id, id);
