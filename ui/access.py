"""The maintainer token for the Beheer page (the same `api.token` that guards the API's writes)."""

from __future__ import annotations

import hmac

import streamlit as st

UNLOCKED = "beheer_ontgrendeld"


def maintainer_unlocked(settings) -> bool:
    """True when this session may manage documents; otherwise shows the token form."""
    token = settings.api.token
    if not token:
        st.caption(
            "Er is geen beheerderstoken ingesteld, dus iedereen die deze app kan openen mag "
            "documenten beheren. Zet `WIJKWIJS_API__TOKEN` om dat af te schermen."
        )
        return True
    if st.session_state.get(UNLOCKED):
        return True
    st.info("Deze pagina is afgeschermd. Vul het beheerderstoken in.")
    with st.form("beheer-token"):
        given = st.text_input("Beheerderstoken", type="password")
        if st.form_submit_button("Ontgrendelen"):
            if hmac.compare_digest(given.encode(), token.encode()):
                st.session_state[UNLOCKED] = True
                st.rerun()
            st.error("Dat token klopt niet.")
    return False
