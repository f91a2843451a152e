"""The setup workbook (DESIGN §7): a trust's whole configuration as one Excel workbook or a folder of CSVs.

- ``columns`` (pure): what a column holds and how a cell's text becomes a value and back; a problem's place.
- ``files`` (pure): workbook and CSV folder bytes to rows of text and back, in a fixed order and format.
- ``sheets``: the one declaration of every sheet (name, columns, key, how its rows are read from the
  database and written to it) that the export, the check, the preview, the import and the template follow.
- ``checks``: what the whole file must satisfy beyond each cell (references, the tree, one trust).
- ``plan``: the file against what is stored: added, changed and retired rows, by sheet.
- ``service``: export, check and preview, apply; the commands and the page call these.
"""
