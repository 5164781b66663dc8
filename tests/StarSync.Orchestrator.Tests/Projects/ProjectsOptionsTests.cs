using System.ComponentModel.DataAnnotations;

using StarSync.Orchestrator.Projects;

namespace StarSync.Orchestrator.Tests.Projects;

public sealed class ProjectsOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new ProjectsOptions();

        Assert.Equal("{owner}-{repo}", options.NameTemplate);
        Assert.Equal(ConflictPolicy.UseExisting, options.ConflictPolicy);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void TemplateWithoutRepo_IsInvalid()
    {
        List<ValidationResult> errors = Validate(new ProjectsOptions { NameTemplate = "github/{owner}" });

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("{repo}", StringComparison.Ordinal));
    }

    [Fact]
    public void UndefinedPolicy_IsInvalid()
    {
        Assert.NotEmpty(Validate(new ProjectsOptions { ConflictPolicy = (ConflictPolicy)42 }));
    }

    private static List<ValidationResult> Validate(ProjectsOptions options)
    {
        List<ValidationResult> results = [];
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
