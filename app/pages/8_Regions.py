import streamlit as st

st.title("8_Regions")
