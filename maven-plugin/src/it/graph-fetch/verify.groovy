// Both builds passed (the consumer's tests checked the fetch and the skip); check what a user sees in the log.
def log = new File(basedir, 'build.log').text
assert log.contains('junction codegen: up to date, nothing generated') : 'the second build did not report the skip'
return true
