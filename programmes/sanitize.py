"""Gone: narratives are plain text now, see `programmes.text`.

Only `programmes/services.py` (`_display`) still imports this module; it stays until that
import is changed to `programmes.text`, then this file is deleted. Add nothing here.
"""

from programmes.text import html_to_text

__all__ = ["html_to_text"]
