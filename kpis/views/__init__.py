"""The KPI pages: a chart (`kpi`), the data submission pages (`upload`), plotly.js (`static`)."""
