"""Reading and checking a monthly data submission. Pure: bytes and DataFrames in and out, no Django.

``reader`` turns a file into rows of text (file-level checks), ``validate`` checks each row
against the catalogue and the organisation (row-level checks and warnings), ``template``
builds the pre-filled file a team fills in. The service ``kpis/services/submission.py``
reads the database into the frames these need and writes the outcome.
"""
