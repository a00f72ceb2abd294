// The failure names the migration file and carries the server's error, and the goal left no fingerprint behind.
def log = new File(basedir, 'build.log').text
assert log.contains('V2__broken.sql') : 'the failing migration is not named'
assert log.contains('type "dat" does not exist') : 'the SQL error is not reported'
assert log.contains('fix the migration named above and run again') : 'no advice on what to do'
assert !new File(basedir, 'target/generated-sources/junction/.junction-codegen.sha256').exists()
return true
