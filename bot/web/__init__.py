"""The aiohttp web application: health today, the officers' dashboard later."""
