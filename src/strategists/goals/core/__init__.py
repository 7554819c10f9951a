"""The pure core of goals: the forecast and the charts' geometry, plain Python with no Django."""
