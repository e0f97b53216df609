import sys
from pathlib import Path

# contract_check.py (a copy of the contract's checker) sits beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
