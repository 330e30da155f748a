"""Stack configuration: one pydantic model, validated before any resource is declared."""

from components.config.errors import StackConfigError
from components.config.stack import StackConfig

__all__ = ["StackConfig", "StackConfigError"]
