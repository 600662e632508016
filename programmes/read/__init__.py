"""The read side: the frozen rows every page, PDF and export renders (`rows`), what the
builder needs besides the loaded rows (`context`) and the building itself (`compute`).
`programmes.overview` is the entry point: callers ask it, never these modules directly,
except for the row types. Nothing here writes.
"""
