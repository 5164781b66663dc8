using MassTransit;

using StarSync.Contracts;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// Answers the admin API's <see cref="BackfillStars"/>: records the request for whichever Orchestrator is the active
/// poller (any Orchestrator may answer), or says that polling is off.
/// </summary>
internal sealed class BackfillStarsConsumer(IStarBackfill backfill, ILogger<BackfillStarsConsumer> logger) : IConsumer<BackfillStars>
{
    public async Task Consume(ConsumeContext<BackfillStars> context)
    {
        var request = context.Message;
        if (backfill.IsAvailable)
        {
            try
            {
                await backfill.RequestBackfillAsync(context.CancellationToken);
                await context.RespondAsync(new StarBackfillRequested(request.RequestId, request.RequestedAt));
                return;
            }
            catch (InvalidOperationException ex)
            {
                // Polling went off between the check and the request; the message names settings, never their values.
                logger.BackfillRefused(ex.Message);
                await context.RespondAsync(new StarPollingUnavailable(request.RequestId, ex.Message));
                return;
            }
        }
        logger.BackfillRefused(backfill.UnavailableReason ?? "star polling is off");
        await context.RespondAsync(new StarPollingUnavailable(request.RequestId, backfill.UnavailableReason ?? "star polling is off"));
    }
}
