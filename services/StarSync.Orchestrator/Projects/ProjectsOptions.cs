using System.ComponentModel.DataAnnotations;

namespace StarSync.Orchestrator.Projects;

/// <summary>How GitHub repositories map to OneDev projects (section <c>Projects</c>).</summary>
internal sealed class ProjectsOptions : IValidatableObject
{
    public const string Section = "Projects";

    /// <summary>
    /// The project path: literal segments and the placeholders <c>{owner}</c> and <c>{repo}</c>, with '/' between
    /// levels, e.g. <c>{owner}-{repo}</c> (default), <c>github-{owner}-{repo}</c> or <c>github/{owner}/{repo}</c>.
    /// Missing parent levels are created. Each segment is sanitised to a valid OneDev name (see <see cref="ProjectNaming"/>).
    /// </summary>
    [Required(ErrorMessage = "Projects:NameTemplate is required, e.g. {owner}-{repo} or github/{owner}/{repo}.")]
    public string NameTemplate { get; set; } = "{owner}-{repo}";

    /// <summary>What to do when the path is taken by a project that is not this repository's mirror.</summary>
    [EnumDataType(typeof(ConflictPolicy), ErrorMessage = "Projects:ConflictPolicy must be UseExisting, DateSuffix or Fail.")]
    public ConflictPolicy ConflictPolicy { get; set; } = ConflictPolicy.UseExisting;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string error in ProjectNaming.TemplateErrors(NameTemplate))
        {
            yield return new ValidationResult($"Projects:NameTemplate '{NameTemplate}' is invalid: {error}", [nameof(NameTemplate)]);
        }
    }
}
