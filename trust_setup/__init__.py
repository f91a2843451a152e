"""Setting up and keeping up a real trust (DESIGN §7): ``start_trust``, the setup workbook, and the pages
where the performance team runs the organisation, the catalogue, the plans and the people."""
