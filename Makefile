.PHONY: run test unit
run:  ## set up, ingest corpus/ when needed and start the app (Streamlit)
	scripts/run.sh
test:  ## set up and run all tests (unit + integration)
	scripts/test.sh
unit:  ## only the fast unit tests
	scripts/test.sh -m "not integration"
