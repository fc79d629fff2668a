"""The Streamlit pages and what they share; the only package besides app.py that imports streamlit."""
