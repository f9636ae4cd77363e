// The modules came from the BOM, all at one version; the suite ran (skipped without a model).
def log = new File(basedir, 'build.log').text
def dependencies = new File(basedir, 'target/dependencies.txt').text
def versions = ['promptunit-annotations', 'promptunit-engine', 'promptunit-jupiter'].collect { module ->
  def found = (dependencies =~ /io\.promptunit:${module}:jar:([^:\s]+)/)
  assert found.find() : "${module} was not resolved:\n" + dependencies
  found.group(1)
}
assert versions.unique().size() == 1 : "the modules were resolved at different versions: ${versions}"
def version = versions[0]
assert new File(basedir, 'pom.xml').text.contains("<version>${version}</version>") : "not the BOM's version ${version}"
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 3') : log
assert log.contains('BUILD SUCCESS')
// the BOM is flattened: no parent, so importing it manages only PromptUnit's modules (no JUnit, langchain4j... versions)
def repository = new File(basedir, '../../it-repository')
def bom = new File(repository, "io/promptunit/promptunit-bom/${version}/promptunit-bom-${version}.pom").text
assert !bom.contains('<parent>') : "the installed BOM has a parent, so importing it would bring the build's versions:\n" + bom
def managed = (bom =~ /<artifactId>([^<]+)<\/artifactId>/).collect { it[1] } - ['promptunit-bom']
assert managed.sort() == ['promptunit-annotations', 'promptunit-engine', 'promptunit-jupiter'] : "the BOM manages ${managed}"
return true
