class ConfigError(Exception):
    """The configuration is unusable; the message names the option to fix."""
