"""Member and organization import (placeholder until the import module lands)."""
