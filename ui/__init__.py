"""ui: shared Streamlit widgets and Plotly figure builders (the middle layer).

Pages call these; these call attention_core; nothing here computes attention.
"""
