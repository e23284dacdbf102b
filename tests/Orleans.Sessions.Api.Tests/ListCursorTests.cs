using System.Buffers.Text;
using System.Text;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Tests;

/// <summary>The one cursor codec of both list APIs: bound to its list, sort and direction; older user-list cursors still read.</summary>
public sealed class ListCursorTests
{
    private const string SessionId = "01JD5Z8Q3F0000000000000000";

    [Fact]
    public void A_cursor_reads_back_only_for_its_own_list_sort_and_direction()
    {
        var user = ListCursor.Encode(SessionSortField.ActiveAt, true, new SessionListPosition(42, SessionId));
        var directory = ListCursor.Encode(DirectorySort.UserName, false, new DirectoryPosition(0, "Ålice|bob", SessionId));

        Assert.True(ListCursor.TryDecode(user, SessionSortField.ActiveAt, true, out var position));
        Assert.Equal(new SessionListPosition(42, SessionId), position);
        Assert.True(ListCursor.TryDecode(directory, DirectorySort.UserName, false, out var at));
        Assert.Equal(new DirectoryPosition(0, "Ålice|bob", SessionId), at);
        Assert.False(ListCursor.TryDecode(user, SessionSortField.ActiveAt, false, out _));
        Assert.False(ListCursor.TryDecode(user, SessionSortField.CreatedAt, true, out _));
        Assert.False(ListCursor.TryDecode(directory, DirectorySort.UserName, true, out _));
        Assert.False(ListCursor.TryDecode(directory, SessionSortField.ActiveAt, false, out _));
        Assert.False(ListCursor.TryDecode(user, DirectorySort.ActiveAt, true, out _));
    }

    [Fact]
    public void A_user_list_cursor_written_before_the_codec_was_shared_still_reads()
    {
        var before = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"u1|{(int)SessionSortField.CreatedAt}|d|638678880000000000|{SessionId}"));

        Assert.True(ListCursor.TryDecode(before, SessionSortField.CreatedAt, true, out var position));
        Assert.Equal(new SessionListPosition(638678880000000000, SessionId), position);
        Assert.False(ListCursor.TryDecode(before, SessionSortField.CreatedAt, false, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("dTJ8MHxkfDQyfC18bm90LWFuLWlk")]
    public void Anything_else_is_not_a_cursor(string cursor) =>
        Assert.False(ListCursor.TryDecode(cursor, SessionSortField.CreatedAt, true, out _));
}
