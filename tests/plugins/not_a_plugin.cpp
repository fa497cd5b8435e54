// A shared library that exports nothing censusqa looks for.
extern "C" __attribute__((visibility("default"))) int something_else() { return 1; }
