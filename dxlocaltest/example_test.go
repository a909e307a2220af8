package dxlocaltest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/dxlocal/dxlocal/dxlocaltest"
)

// In a test, dxlocaltest.Start(t) does the same and stops dxlocal when the test ends.
func Example() {
	dx, err := dxlocaltest.New(dxlocaltest.WithSeed(1), dxlocaltest.WithDwell(time.Hour))
	if err != nil {
		panic(err)
	}
	defer dx.Close()
	client := directconnect.NewFromConfig(dx.AWSConfig("111111111111", "us-east-1"))

	c, err := client.CreateConnection(context.Background(), &directconnect.CreateConnectionInput{
		ConnectionName: aws.String("primary"), Location: aws.String("EqDC2"), Bandwidth: aws.String("10Gbps")})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(c.ConnectionId), c.ConnectionState)

	dx.Advance(2 * time.Hour) // no need to wait out the provisioning
	e := dx.WaitForState(aws.ToString(c.ConnectionId), "available", time.Second)
	fmt.Println(e.ResourceID, e.From, "->", e.To, "by", e.Cause)
	// Output:
	// dxcon-fsbyf6gx requested
	// dxcon-fsbyf6gx pending -> available by clock
}

func ExampleServer_InjectFault() {
	dx, err := dxlocaltest.New()
	if err != nil {
		panic(err)
	}
	defer dx.Close()
	client := directconnect.NewFromConfig(dx.AWSConfig("111111111111", "us-east-1"))

	// Two throttled answers; the SDK's default retryer retries them away.
	dx.InjectFault(dxlocaltest.Fault{Operation: "DescribeLocations", Error: "ThrottlingException", Count: 2})
	if _, err := client.DescribeLocations(context.Background(), &directconnect.DescribeLocationsInput{}); err != nil {
		panic(err)
	}
	calls, _ := dx.Journal(dxlocaltest.Query{Operation: "DescribeLocations"})
	for _, call := range calls {
		fmt.Println(call.Seq, call.Status, call.ErrorType)
	}
	// Output:
	// 1 400 ThrottlingException
	// 2 400 ThrottlingException
	// 3 200
}

func ExampleServer_SetQuotas() {
	dx, err := dxlocaltest.New()
	if err != nil {
		panic(err)
	}
	defer dx.Close()
	q := dx.SetQuotas(dxlocaltest.Quotas{LagsPerRegion: 1})
	fmt.Println(q.LagsPerRegion, q.ConnectionsPerLocation)
	// Output: 1 10
}
