import streamlit as st

st.title("7_Matrix")
