"""Electronic digital signatures (EDS) of acts: certificates, trust roots, XMLDSig, the demo CA and keys.

In production every act is signed in the browser through NCALayer with the signer's certificate issued by
NCA RK; the server only verifies. For development, demo and tests a demo CA made by the project issues each
demo staff account its own certificate (see :mod:`engine.signing.keystore`).
"""
